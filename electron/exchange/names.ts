/** How the exchange names a package's sender: by its certificate, never by what it says. */
import { x509 } from '../signing/x509';
import type { Sender } from './package';

/** A certificate's common name (else its subject): how logs and history name a sender. */
export function commonName(sender: Sender): string {
  return sender.certificate.subjectName.getField('CN')[0] ?? sender.certificate.subject;
}

/** The organisation (O) a distinguished name gives ('' for none, or a name that does not parse). */
export function organisationOf(name: string): string {
  try {
    return new x509.Name(name).getField('O')[0] ?? '';
  } catch {
    return '';
  }
}
