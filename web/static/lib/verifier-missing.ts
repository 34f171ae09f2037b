// Stand-in for verifier/ while that library has not landed: the venue app's offline path stays off.
export const available = false;
export async function openBundle(): Promise<{ valid: false; reason: string }> {
  return { valid: false, reason: "unavailable" };
}
export async function verifyCode(): Promise<{ valid: false; reason: string }> {
  return { valid: false, reason: "unavailable" };
}
