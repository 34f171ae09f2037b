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

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DEMO_SITES = [
  {
    name: "锦江区人民医院核酸采样点",
    address: "成都市锦江区东大街",
    districtCode: "510104",
    location: { lat: 30.6549, lon: 104.0823 },
  },
  {
    name: "武侯区社区卫生服务中心",
    address: "成都市武侯区玉林路",
    districtCode: "510107",
    location: { lat: 30.6316, lon: 104.0566 },
  },
];

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
  // A relative the demo account applied for: the family switcher has someone to switch to.
  await api(origin, "POST", "/v1/persons", {
    token: idToken,
    body: {
      name: "张奶奶",
      idType: "resident_id",
      idNumber: residentId("51010719450302024"),
      phone: "13800000001",
      relationship: "parent",
    },
  });

  // A venue owned by the demo account (created once; its device key is only shown at creation).
  const venues = await api(origin, "GET", "/v1/venues", { token: idToken });
  let venue = venues.venues?.[0];
  let deviceKey = "(shown once when the venue was created; issue another in the venue app)";
  if (!venue) {
    venue = await api(origin, "POST", "/v1/venues", {
      token: idToken,
      body: {
        name: "春熙路菜市场",
        category: "market",
        address: "成都市锦江区春熙路1号",
        districtCode: "510104",
        location: { lat: 30.6573, lon: 104.0806 },
      },
    });
    deviceKey = venue.deviceKey;
  }

  // Testing sites for the look-up, once.
  const { idToken: authority } = await api(origin, "POST", "/dev/id-token", {
    body: { sub: seed.authoritySubject },
  });
  const sites = await api(origin, "GET", "/v1/testing-sites?districtCode=510100");
  if ((sites.sites ?? []).length === 0) {
    for (const site of DEMO_SITES) {
      await api(origin, "POST", "/v1/authority/testing-sites", {
        token: authority,
        body: {
          ...site,
          openingHours: Object.fromEntries(
            WEEKDAYS.map((d) => [
              d,
              [
                ["08:00", "12:00"],
                ["14:00", "18:00"],
              ],
            ]),
          ),
          services: ["nucleic_acid", "antibody"],
          free: true,
          phone: "028-12345678",
        },
      });
    }
  }
  return {
    labKey: seed.labKey,
    authoritySubject: seed.authoritySubject,
    demoPersonSub: "demo-person",
    demoPersonId: person.personId,
    demoIdNumber: demoId,
    demoVenueId: venue.venueId,
    demoDeviceKey: deviceKey,
  };
}
