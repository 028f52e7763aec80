import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from '../contracts/document-request';
import { parseLine } from '../cli/batch-runner';
import { generateIns, withWrongKey } from './support/identities';
import { documentFor, messageFor } from './support/requests';

function invalidMessageOf(value: unknown): string {
  const parsed = parseLine(1, typeof value === 'string' ? value : JSON.stringify(value));
  if (!('invalid' in parsed)) {
    throw new Error('expected the line to be invalid');
  }
  expect(parsed.invalid.outcome).toBe('invalid');
  expect(parsed.invalid.errorCode).toBe('INVALID_REQUEST');
  return parsed.invalid.message!;
}

describe('batch line validation', () => {
  it('accepts every documented line type', () => {
    const ins = generateIns();
    const lines = [
      { type: 'account.opening', ins, amEmail: null, postalAddress: { lines: ['Mme Jeanne Test', '1 rue de la Paix'], postalCode: '75002', city: 'Paris' } },
      { type: 'account.deletion-requested', ins },
      { type: 'account.created', ins, amEmail: 'am@example.org' },
      { type: 'account.activated', ins, personalEmail: 'perso@example.org' },
      { type: 'account.opposed', ins },
      { type: 'account.closed', ins, reason: 'death' },
      messageFor(ins),
      documentFor(ins),
    ];
    for (const line of lines) {
      expect(parseLine(1, JSON.stringify(line))).toHaveProperty('line');
    }
  });

  it('rejects a wrong INS key, naming the field and the expected key', () => {
    const ins = generateIns();
    const message = invalidMessageOf(messageFor(withWrongKey(ins)));
    expect(message).toContain('champ « ins »');
    expect(message).toContain(`le NIR donne ${ins.slice(13)}`);
  });

  it('names a nested field', () => {
    const message = invalidMessageOf(messageFor(generateIns(), { sender: { rpps: '123', name: 'Dr X' } }));
    expect(message).toContain('champ « sender.rpps » : le numéro RPPS doit compter exactement 11 chiffres');
  });

  it('names an extra field', () => {
    expect(invalidMessageOf({ ...messageFor(generateIns()), priority: 'high' })).toContain('champ(s) non prévu(s) : priority');
  });

  it('names a missing field', () => {
    const { subject: _subject, ...withoutSubject } = messageFor(generateIns());
    expect(invalidMessageOf(withoutSubject)).toContain('champ « subject »');
  });

  it('rejects an unknown type with the accepted values', () => {
    expect(invalidMessageOf({ type: 'fax', ins: generateIns() })).toContain('type inconnu ; valeurs acceptées : account.opening');
  });

  it('rejects a line that is not JSON', () => {
    const message = invalidMessageOf('{"type": "message",');
    expect(message).toContain("la ligne n'est pas un objet JSON valide");
    expect(message).toMatch(/\(caractère \d+\)/);
    // The engine's own English wording stays out of the French message.
    expect(message).not.toMatch(/Expected|Unexpected/);
  });

  it('rejects HTML in a text field', () => {
    expect(invalidMessageOf(messageFor(generateIns(), { subject: '<script>alert(1)</script>' }))).toContain('balises HTML interdites');
  });

  it('rejects control characters in a text field', () => {
    expect(invalidMessageOf(messageFor(generateIns(), { body: 'Bonjour\u0007' }))).toContain('caractère de contrôle interdit');
  });

  it('rejects an empty subject', () => {
    expect(invalidMessageOf(messageFor(generateIns(), { subject: '   ' }))).toContain('champ « subject » : texte vide');
  });

  it('rejects an unsupported MIME type', () => {
    expect(invalidMessageOf(documentFor(generateIns(), { mimeType: 'application/zip' as 'application/pdf' }))).toContain(
      'champ « mimeType » : type MIME non pris en charge',
    );
  });

  it('rejects content that is not base64', () => {
    expect(invalidMessageOf(documentFor(generateIns(), { contentBase64: 'pas du base64 !' }))).toContain(
      'champ « contentBase64 » : contenu non valide',
    );
  });

  it('rejects a document over the size limit', () => {
    const content = Buffer.alloc(MAX_DOCUMENT_BYTES + 3).toString('base64');
    expect(invalidMessageOf(documentFor(generateIns(), { contentBase64: content }))).toContain('document trop volumineux');
  });

  it('rejects an invalid email address', () => {
    expect(invalidMessageOf({ type: 'account.activated', ins: generateIns(), personalEmail: 'pas-une-adresse' })).toContain(
      'champ « personalEmail » : adresse e-mail invalide',
    );
  });

  it('requires a postal address for an opening without email', () => {
    expect(invalidMessageOf({ type: 'account.opening', ins: generateIns(), amEmail: null })).toContain(
      'champ « postalAddress » : adresse postale requise quand amEmail est null',
    );
  });
});
