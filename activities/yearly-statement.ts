import { heartbeat } from '@temporalio/activity';
import { yearlyStatementLetter } from '../letters/yearly-statement-letter';
import { recordAuditEvent } from '../store/audit-trail';
import {
  listStatementRecipients,
  loadPostalAddress,
  monthlyActivity,
  recordStatement,
  statementSent,
} from '../store/statements';
import { withTransaction } from '../store/transaction';
import type { ActivityDependencies } from './activity-dependencies';

/** Quotes a CSV field (RFC 4180). */
function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Builds the activities of the yearly activity statement batch. */
export function createYearlyStatementActivities(dependencies: ActivityDependencies) {
  return {
    /** Lists a page of the year's recipients after a patient reference, in order (activity). */
    async listStatementRecipients(input: { year: number; after: string; limit: number }): Promise<string[]> {
      return listStatementRecipients(dependencies.pool, input.year, input.after, input.limit);
    },

    /**
     * Writes and records the statements of a chunk of accounts (activity). Each account gets at most one
     * statement a year: the letter is written under a stable name, then recorded with its history entry in one
     * transaction, so a retry or a second run rewrites nothing that was recorded. Returns how many were sent.
     */
    async sendStatements(input: { year: number; patientRefs: string[] }): Promise<{ sent: number; alreadySent: number }> {
      let sent = 0;
      let alreadySent = 0;

      for (const patientRef of input.patientRefs) {
        heartbeat({ patientRef });
        const letter = await withTransaction(dependencies.pool, async (client) => {
          if (await statementSent(client, patientRef, input.year)) {
            return null;
          }
          const months = await monthlyActivity(client, patientRef, input.year);
          const address = await loadPostalAddress(client, patientRef);
          return yearlyStatementLetter({ id: `statement-${input.year}-${patientRef}`, year: input.year, address, months });
        });
        if (!letter) {
          alreadySent += 1;
          continue;
        }

        await dependencies.letterSender.send(letter);
        const now = dependencies.clock();
        const recorded = await withTransaction(dependencies.pool, async (client) => {
          const inserted = await recordStatement(client, {
            patientRef,
            year: input.year,
            letterFile: `${input.year}/${letter.id}.pdf`,
            shortVersion: letter.shortVersion,
            sentAt: now,
          });
          if (inserted) {
            await recordAuditEvent(client, {
              dedupKey: `statement:${input.year}:${patientRef}`,
              occurredAt: now,
              patientRef,
              actorType: 'system',
              actorId: 'mon-espace-sante',
              actorName: 'Mon espace santé',
              action: 'statement.sent',
              subjectKind: null,
              subjectId: String(input.year),
              outcome: 'accepted',
              errorCode: null,
              visibleToPatient: true,
              details: { shortVersion: letter.shortVersion },
            });
          }
          return inserted;
        });
        if (recorded) {
          sent += 1;
        } else {
          alreadySent += 1;
        }
      }
      return { sent, alreadySent };
    },

    /**
     * Writes the year's manifest for the print provider from the recorded statements (activity): one line per
     * letter with its file and address, and `address_missing` where no postal address is on file.
     */
    async writeStatementManifest(input: { year: number }): Promise<{ letters: number }> {
      const result = await dependencies.pool.query<{ letter_file: string; short_version: boolean; postal_address: { lines: string[]; postalCode: string; city: string } | null }>(
        `SELECT s.letter_file, s.short_version, a.postal_address FROM statements s JOIN accounts a USING (patient_ref)
         WHERE s.year = $1 ORDER BY s.letter_file`,
        [input.year],
      );
      const header = 'letter_file,version,address_status,address_line_1,address_line_2,address_line_3,address_line_4,address_line_5,postal_code,city';
      const lines = result.rows.map((row) => {
        const address = row.postal_address;
        const addressLines = Array.from({ length: 5 }, (_, index) => address?.lines[index] ?? '');
        return [
          row.letter_file,
          row.short_version ? 'short' : 'full',
          address ? 'ok' : 'address_missing',
          ...addressLines,
          address?.postalCode ?? '',
          address?.city ?? '',
        ]
          .map(csvField)
          .join(',');
      });
      await dependencies.letterSender.writeManifest(String(input.year), [header, ...lines].join('\n') + '\n');
      return { letters: lines.length };
    },
  };
}
