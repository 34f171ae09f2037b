/** Exponential backoff by delivery attempt (1, 2, 3…): 2 s, 4 s, 8 s… capped at five minutes. */
export function backoffSeconds(attempts: number): number {
  return Math.min(300, 2 ** Math.max(1, attempts));
}
