import type { PostalAddress } from '../contracts/account-events';
import { MON_ESPACE_SANTE_URL } from '../mail/notification-email';
import { frenchDate } from './french-date';
import type { Letter } from './letter-sender';

/**
 * Writes the information notice sent by post when Assurance Maladie has no email address on file: the space is
 * about to be created, and the holder may object until the end of the opposition window.
 */
export function openingNoticeLetter(input: { id: string; address: PostalAddress; oppositionDeadline: Date }): Letter {
  return {
    id: input.id,
    address: input.address,
    subject: 'Ouverture de votre profil Mon espace santé',
    paragraphs: [
      'Madame, Monsieur,',
      "L'Assurance Maladie va créer votre profil Mon espace santé, le service public qui vous permet de conserver vos documents de santé, d'échanger avec vos professionnels de santé par une messagerie sécurisée et de retrouver votre dossier médical partagé.",
      `Si vous ne souhaitez pas de profil Mon espace santé, vous pouvez vous y opposer jusqu'au ${frenchDate(input.oppositionDeadline)} sur ${MON_ESPACE_SANTE_URL}. Sans opposition de votre part, votre profil sera créé à cette date ; vous pourrez ensuite l'activer, ou le clôturer à tout moment.`,
      "Ce courrier ne contient aucune information sur votre santé.",
      "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
      "L'équipe Mon espace santé",
    ],
  };
}
