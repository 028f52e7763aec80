import type { PostalAddress } from '../contracts/account-events';

/** A letter ready for the postal channel: plain French paragraphs, no health content. */
export interface Letter {
  /** Stable id: sending the same letter again replaces it instead of adding a second one. */
  id: string;
  address: PostalAddress;
  subject: string;
  paragraphs: string[];
}

/**
 * The postal channel. The embedded default writes PDFs to a folder (`createPdfLetterSender`); a print and mail
 * provider's API is the place for a production adapter.
 */
export interface LetterSender {
  send(letter: Letter): Promise<void>;
}
