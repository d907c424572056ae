// Ten horizontal bars, one a digit, built once and updated in place while drawing (cheap enough
// to run every animation frame). Plain DOM, so screen readers read the numbers.

/** Below this top probability the verdict says it is not sure instead of answering confidently. */
export const confidentProbability = 0.6;

/** The bar chart of the ten class probabilities, the verdict, and a note when the network is unsure. */
export class ProbabilityBars {
  private readonly bars: HTMLElement[] = [];
  private readonly values: HTMLElement[] = [];
  private readonly rows: HTMLElement[] = [];

  constructor(
    private readonly container: HTMLElement,
    private readonly verdict: HTMLElement,
    private readonly note: HTMLElement,
  ) {
    container.replaceChildren();
    for (let digit = 0; digit < 10; digit++) {
      const row = document.createElement('div');
      row.className = 'bar-row';
      row.setAttribute('role', 'listitem');
      const label = document.createElement('span');
      label.className = 'bar-label';
      label.textContent = String(digit);
      const track = document.createElement('span');
      track.className = 'bar-track';
      const bar = document.createElement('span');
      bar.className = 'bar-fill';
      track.append(bar);
      const value = document.createElement('span');
      value.className = 'bar-value';
      value.textContent = '–';
      row.append(label, track, value);
      container.append(row);
      this.rows.push(row);
      this.bars.push(bar);
      this.values.push(value);
    }
    container.setAttribute('role', 'list');
  }

  /** Shows `probabilities` (10 values summing to about 1), or clears the chart when null. */
  update(probabilities: ArrayLike<number> | null): void {
    let best = -1;
    if (probabilities !== null) {
      for (let digit = 0; digit < 10; digit++) if (best < 0 || probabilities[digit] > probabilities[best]) best = digit;
    }
    for (let digit = 0; digit < 10; digit++) {
      const p = probabilities === null ? 0 : probabilities[digit];
      this.bars[digit].style.width = `${(100 * p).toFixed(1)}%`;
      this.values[digit].textContent = probabilities === null ? '–' : `${(100 * p).toFixed(1)} %`;
      this.rows[digit].classList.toggle('best', digit === best);
      this.rows[digit].setAttribute('aria-label', `${digit}: ${probabilities === null ? 'no prediction' : `${(100 * p).toFixed(1)} percent`}`);
    }
    this.verdict.textContent = best < 0 ? '?' : String(best);
    this.verdict.dataset.digit = best < 0 ? '' : String(best);
    const unsure = probabilities !== null && best >= 0 && probabilities[best] < confidentProbability;
    this.verdict.classList.toggle('unsure', unsure);
    this.note.textContent = unsure ? `Not sure — is this a digit? Best guess ${best}, ${(100 * probabilities[best]).toFixed(0)} %.` : '';
    this.note.hidden = !unsure;
  }
}
