import type { PostalAddress } from '../contracts/account-events';
import { MON_ESPACE_SANTE_URL } from '../mail/notification-email';
import type { MonthActivity } from '../store/statements';
import type { Letter } from './letter-sender';

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

function countOf(count: number, singular: string, plural: string): string {
  return `${count} ${count > 1 ? plural : singular}`;
}

/**
 * Writes the yearly activity statement of a holder who has not activated their space and has no email on file.
 * It gives counts month by month (documents added, messages received, first accesses by professionals) and how to
 * activate. It never gives a title, a body or a professional's specialty. Without activity it only explains
 * activation.
 */
export function yearlyStatementLetter(input: {
  id: string;
  year: number;
  address: PostalAddress | null;
  months: MonthActivity[];
}): Letter & { shortVersion: boolean } {
  const active = input.months.filter((month) => month.documents + month.messages + month.firstAccesses > 0);
  const activation = `Pour consulter ces informations, activez votre profil sur ${MON_ESPACE_SANTE_URL}, muni de votre carte Vitale. Vous pourrez y indiquer une adresse électronique pour être prévenu sans attendre ce relevé.`;

  const paragraphs = ['Madame, Monsieur,'];
  if (active.length === 0) {
    paragraphs.push(
      `Votre profil Mon espace santé n'a reçu aucun document ni message en ${input.year}.`,
      `Mon espace santé vous permet de conserver vos documents de santé et d'échanger avec vos professionnels de santé. ${activation}`,
    );
  } else {
    paragraphs.push(`Voici l'activité de votre profil Mon espace santé en ${input.year}, mois par mois :`);
    for (const month of active) {
      const parts = [
        countOf(month.documents, 'document ajouté', 'documents ajoutés'),
        countOf(month.messages, 'message reçu', 'messages reçus'),
        countOf(month.firstAccesses, 'premier accès de professionnel', "premiers accès de professionnels"),
      ];
      const monthName = MONTHS[month.month - 1]!;
      paragraphs.push(`${monthName[0]!.toUpperCase()}${monthName.slice(1)} ${input.year} : ${parts.join(', ')}.`);
    }
    paragraphs.push(activation);
  }
  paragraphs.push('Ce courrier ne contient aucune information sur votre santé.', "L'équipe Mon espace santé");

  return {
    id: input.id,
    folder: String(input.year),
    address: input.address,
    subject: `Relevé d'activité ${input.year} de votre profil Mon espace santé`,
    paragraphs,
    shortVersion: active.length === 0,
  };
}
