// The district counter's RPC types, apart from its class (importable where `cloudflare:workers` is not).
import type { CountEntry, Counts } from "./counting";

/** One entry of a person's counting timeline, for one district (see durable/counting.ts). */
export interface CountDelivery extends CountEntry {
  personId: string;
}

export interface CounterReading {
  counter: string;
  /** Persons counted here now, by colour. */
  totals: Counts;
  /** Persons by colour at the end of the day before `firstDay`. */
  base: Counts;
  /** Per-day deltas from `firstDay` on. */
  days: ({ day: string } & Counts)[];
}

/** The counter addressed for a district code (persons without one, e.g. passport holders: "none"). */
export const counterName = (districtCode: string | null): string => districtCode ?? "none";
