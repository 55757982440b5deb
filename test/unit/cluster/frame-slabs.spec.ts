import { FrameSlabs, joinFrames } from '../../../lib/cluster/frame-slabs.js';

describe('FrameSlabs and joinFrames', () => {
  it('lays a burst out in one slab: the packed entry is a view of its frames, not a copy', () => {
    const slabs = new FrameSlabs();
    const frames = ['Event: A\r\n\r\n', 'CallerIDName: Nowak Łukasz\r\n\r\n', 'Event: Ü\r\n\r\n'];
    const parts = frames.map((frame) => slabs.encode(frame));
    expect(parts.map((part) => part.toString('utf8'))).toEqual(frames);
    const joined = joinFrames(parts);
    expect(joined.toString('utf8')).toBe(frames.join(''));
    expect(joined.buffer).toBe(parts[0].buffer);
    expect(joined.byteOffset).toBe(parts[0].byteOffset);
  });

  it('copies when the frames are not one after another (one in between, another slab, a big one)', () => {
    const slabs = new FrameSlabs();
    const [a, skipped, b] = ['N: 1\r\n\r\n', 'N: 2\r\n\r\n', 'N: 3\r\n\r\n'].map((frame) =>
      slabs.encode(frame),
    );
    expect(skipped.toString()).toBe('N: 2\r\n\r\n');
    const apart = joinFrames([a, b]);
    expect(apart.toString()).toBe('N: 1\r\n\r\nN: 3\r\n\r\n');
    expect(apart.buffer).not.toBe(a.buffer);
    const big = `V: ${'x'.repeat(40_000)}\r\n\r\n`;
    const alone = slabs.encode(big);
    expect(alone.toString()).toBe(big);
    expect(joinFrames([b, alone]).toString()).toBe(`N: 3\r\n\r\n${big}`);
  });

  it('starts a new slab when the current one is full, and the frames stay right across it', () => {
    const slabs = new FrameSlabs();
    const frames = Array.from({ length: 30_000 }, (_, i) => `Seq: ${i}\r\nName: Müller\r\n\r\n`);
    const parts = frames.map((frame) => slabs.encode(frame));
    expect(new Set(parts.map((part) => part.buffer)).size).toBeGreaterThan(1);
    for (let i = 0; i + 32 <= parts.length; i += 32)
      expect(joinFrames(parts.slice(i, i + 32)).toString()).toBe(frames.slice(i, i + 32).join(''));
  });
});
