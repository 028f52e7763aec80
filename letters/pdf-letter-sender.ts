import { createWriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Letter, LetterSender } from './letter-sender';

/**
 * Writes each letter as an A4 PDF named after its id in `lettersDir`, the embedded default of the postal
 * channel. The file is written under a temporary name and renamed, so a retry replaces it whole.
 */
export function createPdfLetterSender(lettersDir: string): LetterSender {
  return {
    async send(letter: Letter): Promise<void> {
      const folder = letter.folder ? path.join(lettersDir, letter.folder.replace(/[^A-Za-z0-9._-]/g, '_')) : lettersDir;
      await mkdir(folder, { recursive: true });
      const target = path.join(folder, `${letter.id.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`);
      const temporary = `${target}.tmp-${process.pid}`;

      // The address sits in the window of a DL envelope: 20 mm from the left, 45 mm from the top (in points).
      const document = new PDFDocument({ size: 'A4', margin: 57, info: { Title: letter.subject, Author: 'Mon espace santé' } });
      const written = new Promise<void>((resolve, reject) => {
        const output = createWriteStream(temporary);
        output.on('finish', resolve);
        output.on('error', reject);
        document.pipe(output);
      });

      document.fontSize(10).text('Mon espace santé - Assurance Maladie', 57, 57);
      const addressLines = letter.address
        ? [...letter.address.lines, `${letter.address.postalCode} ${letter.address.city.toUpperCase()}`]
        : ['(adresse postale inconnue)'];
      document.fontSize(11).text(addressLines.join('\n'), 312, 128, { width: 220 });
      document.moveDown(4).fontSize(12).text(`Objet : ${letter.subject}`, 57);
      document.moveDown();
      for (const paragraph of letter.paragraphs) {
        document.fontSize(11).text(paragraph, { align: 'left' });
        document.moveDown();
      }
      document.end();

      await written;
      await rename(temporary, target);
    },

    async writeManifest(folder: string, csv: string): Promise<void> {
      const target = path.join(lettersDir, folder.replace(/[^A-Za-z0-9._-]/g, '_'), 'manifest.csv');
      await mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.tmp-${process.pid}`;
      await writeFile(temporary, csv);
      await rename(temporary, target);
    },
  };
}
