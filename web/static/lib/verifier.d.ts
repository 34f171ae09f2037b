// The slice of verifier/ (a colleague's library) the venue app uses. Declared here rather than
// type-checked through the client's DOM-typed program, which that Worker-typed library is not written for.
declare module "#verifier" {
  export function openBundle(
    jws: string,
    trustAnchorJwks: { keys: unknown[] },
    now: Date,
    options?: { issuer?: string },
  ): Promise<{ valid: true; bundle: unknown } | { valid: false; reason: string }>;
  export function verifyCode(
    token: string,
    bundle: unknown,
    now: Date,
  ): Promise<{ valid: true; color: "green" | "yellow" | "red" | null } | { valid: false; reason: string }>;
}
