// Demo data for local development, created through the public API so it exercises the real paths.
// Idempotent: running it again finds the same persons and keys.

async function api(origin, method, path, { token, body } = {}) {
  const res = await fetch(origin + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return json;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function residentId(body17) {
  const sum = [...body17].reduce((s, ch, i) => s + Number(ch) * WEIGHTS[i], 0);
  return body17 + "10X98765432"[sum % 11];
}

export async function seedDemo(origin) {
  const seed = await api(origin, "GET", "/dev/seed");
  const demoId = residentId("51010419900101123");
  const { idToken } = await api(origin, "POST", "/dev/id-token", {
    body: { sub: "demo-person", idType: "resident_id", idNumber: demoId },
  });
  const person = await api(origin, "POST", "/v1/persons", {
    token: idToken,
    body: {
      name: "张小三",
      idType: "resident_id",
      idNumber: demoId,
      phone: "13800000000",
      relationship: "self",
    },
  });
  return {
    labKey: seed.labKey,
    authoritySubject: seed.authoritySubject,
    demoPersonSub: "demo-person",
    demoPersonId: person.personId,
    demoIdNumber: demoId,
  };
}
