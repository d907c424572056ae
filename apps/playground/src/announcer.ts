// A polite live region that screen readers hear at most once a second: while training, the
// status changes every few milliseconds, and announcing each change would drown the user. The
// latest text wins; a text equal to the last one announced is not repeated.

/** How long at least between two announcements (ms). */
export const announceEveryMilliseconds = 1000;

/** Announces texts through `region` (an `aria-live` element), at most once a second. */
export class Announcer {
  private lastSaid = '';
  private lastAt = -Infinity;
  private pending: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly region: HTMLElement,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Queues `text`; it is announced now or when a second has passed since the last one. */
  say(text: string): void {
    if (text === this.lastSaid) {
      this.pending = null;
      return;
    }
    this.pending = text;
    if (this.timer === null) this.flush();
  }

  /** Announces the pending text if a second has passed, else waits for it (one timer at most). */
  private flush(): void {
    this.timer = null;
    if (this.pending === null) return;
    // A timer can fire late and a `say` can come first: the clock decides, not the timer.
    const wait = this.lastAt + announceEveryMilliseconds - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => this.flush(), wait);
      return;
    }
    this.region.textContent = this.pending;
    this.lastSaid = this.pending;
    this.pending = null;
    this.lastAt = this.now();
  }
}
