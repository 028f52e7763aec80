import type { PostalAddress } from '../contracts/account-events';

/** A letter ready for the postal channel: plain French paragraphs, no health content. */
export interface Letter {
  /** Stable id: sending the same letter again replaces it instead of adding a second one. */
  id: string;
  /** Subfolder of the letters folder, for example the year of a statement batch. */
  folder?: string;
  /** Null when no postal address is on file: the letter is still written, and the manifest flags it. */
  address: PostalAddress | null;
  subject: string;
  paragraphs: string[];
}

/**
 * The postal channel. The embedded default writes PDFs to a folder (`createPdfLetterSender`); a print and mail
 * provider's API is the place for a production adapter.
 */
export interface LetterSender {
  send(letter: Letter): Promise<void>;
  /** Hands over the batch's manifest (CSV) for a print provider, replacing the previous one of the folder. */
  writeManifest(folder: string, csv: string): Promise<void>;
}
