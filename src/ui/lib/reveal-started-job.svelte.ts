import type { Attachment } from 'svelte/attachments';

/**
 * Brings a job's card into view once, after the page's own Start began the job. Start ends a
 * form and the card shows above it: on a phone the card came out of sight, or under the sticky
 * header, and nothing on screen said the job began. Only the page's own Start scrolls: a job
 * followed from another tab leaves the page where the person has it. Smoothly unless motion is
 * reduced, and not at all where the card is already in sight.
 */
export class StartedJobReveal {
  /** The job the page's own Start began, until its card has been brought into view. */
  #started: string | undefined = $state(undefined);

  /** The jobs the page's own Start began (not one followed from another tab). */
  readonly #mine = new Set<string>();

  /** Tells of the job the page's Start began; undefined when the Start was refused. */
  started(id: string | undefined): void {
    this.#started = id;
    if (id !== undefined) this.#mine.add(id);
  }

  /** Whether the page's own Start began job `id`. */
  startedHere(id: string): boolean {
    return this.#mine.has(id);
  }

  /**
   * The attachment for the card, which shows job `shown()`: the card comes into view once it
   * shows the job started here, whether it showed that job before or after the Start resolved.
   */
  card(shown: () => string | undefined): Attachment<HTMLElement> {
    return (card) => {
      if (this.#started === undefined || shown() !== this.#started) return;
      this.#started = undefined;
      const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
      card.scrollIntoView({ block: 'nearest', behavior: still ? 'instant' : 'smooth' });
    };
  }
}
