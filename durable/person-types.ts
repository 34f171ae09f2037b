import type { ColorState, HistoryEntry } from "./rules/transition";

// The person object's RPC types, apart from the class so that its storage and outbox can use them
// without importing the object (a cycle).

export interface PersonMeta {
  personId: string;
  districtCode: string | null;
}

/** What verification needs: the colour now and the version a code must carry to be current. */
export interface ColorSummary {
  color: ColorState["color"];
  version: number;
  since: string;
  reviewAt: string | null;
}

/** Something the person should know that is not a colour change (e.g. a relative added their code). */
export interface Notice {
  kind: "manager_added" | "manager_request" | "self_displaced";
  at: string;
  relationship: string;
  /** For a request the person may answer in their app. */
  requestId?: string;
  text: { zh: string; en: string };
}

export interface PersonStatus {
  state: ColorState;
  history: HistoryEntry[];
  notices: Notice[];
}

export interface AddFactsResult {
  added: number;
  changed: boolean;
  state: ColorState;
}
