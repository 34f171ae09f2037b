/** Who is calling, as established by the auth middleware. Never carries an identity number in clear. */
export type Caller = PersonCaller | KeyCaller;

export interface PersonCaller {
  kind: "person";
  /** Stable per identity-provider login: a hash of `issuer|subject`. */
  accountId: string;
  issuer: string;
  subject: string;
  /** `issuer|subject`: who acted, as audit rows, rule sets, events and keys record it. */
  actor: string;
  isAuthority: boolean;
  /** Present when the provider verifies real names and asserted the holder's document. */
  asserted?: {
    idType: string;
    idNumber: string;
    nationality?: string;
    /** The holder's real name, when the provider asserts it. */
    name?: string;
  };
}

export interface KeyCaller {
  kind: "lab" | "device" | "vaccination_site";
  keyId: string;
  /** The lab, venue or vaccination site the key belongs to. */
  ownerId: string;
}
