import { JsonSlabs, jsonLines } from '../../../lib/cluster/json-slabs.js';

describe('JsonSlabs and jsonLines', () => {
  it('lays a burst out as JSON lines in one slab: the packed entry is a view of them, not a copy', () => {
    const slabs = new JsonSlabs();
    const jsons = ['{"Event":"A"}', '{"CallerIDName":"Nowak Łukasz"}', '{"Event":"Ü"}'];
    const parts = jsons.map((json) => slabs.encode(json));
    expect(parts.map((part) => part.toString('utf8'))).toEqual(jsons);
    const lines = jsonLines(parts);
    expect(lines.toString('utf8')).toBe(jsons.join('\n'));
    expect(lines.buffer).toBe(parts[0].buffer);
    expect(lines.byteOffset).toBe(parts[0].byteOffset);
  });

  it('copies when the lines are not one after another (an event in between, another slab, a big one)', () => {
    const slabs = new JsonSlabs();
    const [a, skipped, b] = ['{"n":1}', '{"n":2}', '{"n":3}'].map((json) => slabs.encode(json));
    expect(skipped.length).toBe(7);
    const apart = jsonLines([a, b]);
    expect(apart.toString()).toBe('{"n":1}\n{"n":3}');
    expect(apart.buffer).not.toBe(a.buffer);
    const big = `{"v":"${'x'.repeat(40_000)}"}`;
    const alone = slabs.encode(big);
    expect(alone.toString()).toBe(big);
    expect(jsonLines([b, alone]).toString()).toBe(`{"n":3}\n${big}`);
  });

  it('starts a new slab when the current one is full, and the lines stay right across it', () => {
    const slabs = new JsonSlabs();
    const jsons = Array.from({ length: 30_000 }, (_, i) => `{"Seq":"${i}","Name":"Müller"}`);
    const parts = jsons.map((json) => slabs.encode(json));
    expect(new Set(parts.map((part) => part.buffer)).size).toBeGreaterThan(1);
    for (let i = 0; i + 32 <= parts.length; i += 32)
      expect(jsonLines(parts.slice(i, i + 32)).toString()).toBe(jsons.slice(i, i + 32).join('\n'));
  });
});
