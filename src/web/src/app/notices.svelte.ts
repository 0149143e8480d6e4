import { describeError, type Notice } from './errors';

/** The one banner: the latest failure (or good news), until it is dismissed or replaced. */
class Notices {
  current = $state<(Notice & { id: number; shownAt: number }) | null>(null);
  #next = 1;

  /** Shows a failure; returns the notice, or undefined when there was nothing to show (an abort). */
  report(error: unknown, title: string): Notice | undefined {
    const notice = describeError(error, title);
    if (notice) this.show(notice);
    return notice;
  }

  show(notice: Notice): void {
    this.current = { ...notice, id: this.#next++, shownAt: Date.now() };
  }

  dismiss(): void {
    this.current = null;
  }

  /** Clears the banner if it still shows a failure with this title (e.g. after a retry succeeded); good news stays. */
  clear(title: string): void {
    if (this.current?.title === title && this.current.tone !== 'success') this.current = null;
  }
}

export const notices = new Notices();
