// The bench's all-new-visits check-in load (bench/lib/load.mjs): if its walk repeated a pair, a
// "new visit" figure would quietly measure repeats answered from memory, as the random mix does.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newVisitWalk, twoWritesWalk } from "../../bench/lib/load.mjs";

const persons = (n) => Array.from({ length: n }, (_, i) => ({ personId: `p${i}`, idToken: `t${i}` }));
const places = (n) => Array.from({ length: n }, (_, i) => `place-${i}`);

function walk(P, V, count) {
  const [template] = newVisitWalk(persons(P), places(V));
  return Array.from({ length: count }, () => {
    const req = template.setupRequest({ headers: {} });
    const body = JSON.parse(req.body);
    assert.equal(req.headers.authorization, `Bearer t${body.personId.slice(1)}`);
    return { person: body.personId, place: body.placeCode };
  });
}

for (const [P, V] of [
  [64, 500],
  [8, 250],
  [3, 20],
]) {
  test(`${P} persons × ${V} venues: every pair once per lap, never the same person or venue twice in a row`, () => {
    const sent = walk(P, V, 2 * P * V);
    const lap = sent.slice(0, P * V).map((s) => `${s.person}@${s.place}`);
    assert.equal(new Set(lap).size, P * V);
    assert.deepEqual(
      sent.slice(P * V).map((s) => `${s.person}@${s.place}`),
      lap,
    );
    for (let i = 1; i < sent.length; i++) {
      assert.notEqual(sent[i].person, sent[i - 1].person, `request ${i}`);
      assert.notEqual(sent[i].place, sent[i - 1].place, `request ${i}`);
    }
  });
}

test("the floor's chain names a first and a second object, spread like the walk", () => {
  const [template] = twoWritesWalk(64, 500);
  const paths = Array.from({ length: 1000 }, () => new URL(template.setupRequest({}).path, "http://x"));
  assert.equal(new Set(paths.map((u) => u.searchParams.get("first"))).size, 64);
  assert.equal(new Set(paths.map((u) => u.searchParams.get("second"))).size, 500);
});
