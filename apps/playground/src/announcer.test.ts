import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Announcer } from './announcer.js';

describe('Announcer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('announces at most once a second, the latest text winning', () => {
    const region = { textContent: '' } as HTMLElement;
    const announcer = new Announcer(region, () => Date.now());
    const changes: string[] = [];
    const record = () => changes.at(-1) !== region.textContent && changes.push(region.textContent ?? '');
    announcer.say('epoch 1, batch 1');
    record();
    for (let batch = 2; batch <= 40; batch++) {
      vi.advanceTimersByTime(50);
      announcer.say(`epoch 1, batch ${batch}`);
      record();
    }
    vi.advanceTimersByTime(1000);
    record();
    // 40 updates over 2 s: the first at once, then one a second, ending on the last text.
    expect(changes).toEqual(['epoch 1, batch 1', 'epoch 1, batch 20', 'epoch 1, batch 40']);
  });

  it('keeps a second between announcements when its timer fires late', () => {
    const region = { textContent: '' } as HTMLElement;
    // The page's clock runs ahead of the timers, as on a busy page.
    let ahead = 0;
    const now = () => Date.now() + ahead;
    const announcer = new Announcer(region, now);
    const times: number[] = [];
    const say = (text: string) => {
      const before = region.textContent;
      announcer.say(text);
      if (region.textContent !== before) times.push(now());
    };
    say('a');
    vi.advanceTimersByTime(50);
    say('b');
    vi.advanceTimersByTime(900);
    ahead = 60;
    say('c');
    vi.advanceTimersByTime(1);
    say('d');
    const before = region.textContent;
    vi.advanceTimersByTime(100);
    if (region.textContent !== before) times.push(now());
    vi.advanceTimersByTime(2000);
    times.push(now());
    const gaps = times.slice(1, -1).map((time, index) => time - times[index]);
    expect(gaps.every((gap) => gap >= 1000)).toBe(true);
    expect(region.textContent).toBe('d');
  });

  it('does not repeat a text already announced', () => {
    const region = { textContent: '' } as HTMLElement;
    const announcer = new Announcer(region, () => Date.now());
    announcer.say('Done.');
    region.textContent = 'cleared by a test';
    vi.advanceTimersByTime(2000);
    announcer.say('Done.');
    expect(region.textContent).toBe('cleared by a test');
  });
});
