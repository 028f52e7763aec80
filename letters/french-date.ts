/** Formats a date the way a French letter writes it, for example "15 janvier 2027", in Paris time. */
export function frenchDate(date: Date): string {
  return new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(date);
}
