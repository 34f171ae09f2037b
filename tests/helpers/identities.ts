/**
 * Test identities built here with the GB 11643 check character computed independently of the
 * production validator, so tests do not trust the code they test.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

export function residentId(address = "510104", birth = "19900101", seq = 123): string {
  const body = `${address}${birth}${String(seq).padStart(3, "0")}`;
  const sum = [...body].reduce((s, ch, i) => s + Number(ch) * WEIGHTS[i]!, 0);
  return body + CHECK[sum % 11];
}

let counter = 100;
/** A fresh valid Sichuan resident id each call, so tests in one file do not collide. */
export function freshResidentId(address = "510104"): string {
  counter += 2;
  return residentId(address, "19850615", counter % 1000);
}

export function applicant(idNumber = freshResidentId(), overrides: Record<string, unknown> = {}) {
  return {
    name: "张小三",
    idType: "resident_id",
    idNumber,
    phone: "13812345678",
    relationship: "self",
    ...overrides,
  };
}
