const HOUR_MS = 3_600_000;

/** Hours since `createdAt` at `now`, to one decimal, and whether an open appeal is past its target. */
export function appealAge(
  createdAt: string,
  state: "open" | "answered",
  now: Date,
  targetHours: number,
): { ageHours: number; overdue: boolean } {
  const hours = (now.getTime() - Date.parse(createdAt)) / HOUR_MS;
  return { ageHours: Math.round(hours * 10) / 10, overdue: state === "open" && hours > targetHours };
}
