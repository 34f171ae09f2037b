import type { RuleSet } from "../../durable/rules/rule-set";
import { encodeBase64url } from "../lib/base64url";

/** JSON with object keys sorted at every level: the same rule set always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/**
 * base64url SHA-256 of the validated rule set's canonical JSON: a publication matches a preview only
 * when every rule, duration and label is the same (key order and whitespace do not matter).
 */
export async function ruleSetDigest(ruleSet: RuleSet): Promise<string> {
  return encodeBase64url(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalJson(ruleSet))),
  );
}
