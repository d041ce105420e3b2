import { describe, expect, it } from 'vitest';
import { parseToolCalls } from './tool-calls.ts';

describe('parseToolCalls', () => {
  it('reads well-formed calls in order, trimming names and arguments', () => {
    expect(parseToolCalls('Let me compute. <tool>calculator</tool><args>2*3</args>')).toEqual([{ ok: true, name: 'calculator', args: '2*3' }]);
    expect(parseToolCalls('<tool> calculator </tool>\n  <args> (1+2) * 3 </args> then <tool>search</tool><args>cats</args>')).toEqual([
      { ok: true, name: 'calculator', args: '(1+2) * 3' },
      { ok: true, name: 'search', args: 'cats' },
    ]);
    expect(parseToolCalls('<tool>calc</tool><args></args>')).toEqual([{ ok: true, name: 'calc', args: '' }]);
  });

  it('no <tool> tag means no call, whatever else the text holds', () => {
    for (const text of ['', '<answer>6</answer>', '</tool><args>1</args>', '<args>1+1</args>', '<tools>x</tools>', '<TOOL>calculator</TOOL><args>1</args>']) {
      expect(parseToolCalls(text), text).toEqual([]);
    }
  });

  it('malformed calls are failed calls with a message saying what is wrong', () => {
    expect(parseToolCalls('<tool>calculator')).toEqual([{ ok: false, error: '<tool> is never closed with </tool>' }]);
    expect(parseToolCalls('<tool>calculator</tool> 2*3')).toEqual([{ ok: false, name: 'calculator', error: '</tool> must be followed by <args>…</args>' }]);
    expect(parseToolCalls('<tool>calculator</tool><args>2*3')).toEqual([{ ok: false, name: 'calculator', error: '<args> is never closed with </args>' }]);
    expect(parseToolCalls('<tool></tool><args>1</args>')).toEqual([{ ok: false, error: 'invalid tool name ""' }]);
    expect(parseToolCalls('<tool>my tool</tool><args>1</args>')[0]).toEqual({ ok: false, error: 'invalid tool name "my tool"' });
    // A failed call does not hide the next one.
    expect(parseToolCalls('<tool>a b</tool><args>1</args><tool>calc</tool><args>2</args>').map((c) => c.ok)).toEqual([false, true]);
  });

  it('adversarial text: nesting, prototype names, control characters, huge input, many calls', () => {
    // Nested opening tags make an invalid name; the scan moves on past them.
    expect(parseToolCalls('<tool><tool>calculator</tool><args>1</args>')).toEqual([{ ok: false, error: 'invalid tool name "<tool>calculator"' }]);
    // Names that would reach object prototypes are plain strings here (tools are looked up in a Map).
    expect(parseToolCalls('<tool>__proto__</tool><args>{}</args>')).toEqual([{ ok: true, name: '__proto__', args: '{}' }]);
    expect(parseToolCalls('<tool>constructor</tool><args>x</args>')[0]).toMatchObject({ ok: true, name: 'constructor' });
    // Control characters and quotes in names are refused and shown escaped.
    const weird = parseToolCalls('<tool>a\u0000"\n</tool><args>1</args>')[0];
    expect(weird).toEqual({ ok: false, error: 'invalid tool name "a\\u0000\\""' });
    // Arguments: kept verbatim (they are data), but bounded.
    expect(parseToolCalls('<tool>calc</tool><args><script>alert(1)</script></args>')[0]).toEqual({ ok: true, name: 'calc', args: '<script>alert(1)</script>' });
    expect(parseToolCalls(`<tool>calc</tool><args>${'9'.repeat(5000)}</args>`)[0]).toEqual({
      ok: false,
      name: 'calc',
      error: 'arguments too long (5000 characters, at most 1000)',
    });
    // A very long name is cut in the message.
    const long = parseToolCalls(`<tool>${'x'.repeat(100)}</tool><args>1</args>`)[0];
    expect(long.ok).toBe(false);
    expect(!long.ok && long.error.length).toBeLessThan(60);
    // Many calls: at most maxCalls are read, one more is reported, the rest ignored.
    const many = parseToolCalls('<tool>c</tool><args>1</args>'.repeat(10_000));
    expect(many).toHaveLength(5);
    expect(many[4]).toEqual({ ok: false, error: 'too many tool calls in one turn (at most 4)' });
    expect(parseToolCalls('<tool>c</tool><args>1</args>'.repeat(3), { maxCalls: 2 })).toHaveLength(3);
  });

  it('stays linear on pathological input (a megabyte of open tags parses in well under a second)', () => {
    const t0 = performance.now();
    expect(parseToolCalls('<tool>'.repeat(200_000))).toEqual([{ ok: false, error: '<tool> is never closed with </tool>' }]);
    const unclosedArgs = parseToolCalls(`<tool>c</tool><args>${'<args>'.repeat(200_000)}`);
    expect(unclosedArgs).toEqual([{ ok: false, name: 'c', error: '<args> is never closed with </args>' }]);
    const noArgs = parseToolCalls('<tool>c</tool>'.repeat(100_000));
    expect(noArgs).toHaveLength(5);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
