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
