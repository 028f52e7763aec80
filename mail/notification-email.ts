import { frenchDate } from '../letters/french-date';
import type { NotificationSubject } from '../store/notifications';

/** Public address of Mon espace santé, given to patients in every notice. */
export const MON_ESPACE_SANTE_URL = 'https://www.monespacesante.fr';

/** Subject kind and channel of a notice, and the figures some notices report; never the item's content. */
export interface NotificationEmailInput {
  subjectKind: NotificationSubject;
  channel: 'personal-email' | 'am-email';
  /** `oppositionDeadline` (ISO date) for an opening notice, `messages` and `documents` for an activation summary. */
  details?: { oppositionDeadline?: string; messages?: number; documents?: number };
}

/** Subject and plain-text body of a notice, in French. */
export interface NotificationEmail {
  subject: string;
  text: string;
}

/** Notices about something waiting in the space, as opposed to lifecycle notices. */
type ItemNoticeKind = 'message' | 'document' | 'first-access' | 'emergency-access' | 'document-update';

/** Subject line and first paragraph of each kind of notice about something waiting in the space. */
const ITEM_WORDING: Record<ItemNoticeKind, { subject: string; what: string }> = {
  message: {
    subject: 'Nouveau message dans Mon espace santé',
    what: 'Un professionnel de santé vous a envoyé un message dans votre messagerie sécurisée Mon espace santé.',
  },
  document: {
    subject: 'Nouveau document dans Mon espace santé',
    what: 'Un nouveau document a été ajouté à votre dossier médical dans Mon espace santé.',
  },
  // The holder is notified the first time each professional accesses the DMP, and after every emergency access.
  'first-access': {
    subject: 'Un professionnel de santé a consulté votre dossier médical',
    what: "Un professionnel de santé a consulté votre dossier médical Mon espace santé pour la première fois. L'historique de votre dossier indique qui et quand.",
  },
  'emergency-access': {
    subject: 'Accès en urgence à votre dossier médical',
    what: "Un professionnel de santé a accédé en urgence à votre dossier médical Mon espace santé (accès « bris de glace »). L'historique de votre dossier indique qui et quand.",
  },
  'document-update': {
    subject: 'Mise à jour de votre dossier médical',
    what: 'Votre dossier médical Mon espace santé a été mis à jour. Cette mise à jour vous sera présentée par un professionnel de santé ou deviendra visible dans votre dossier prochainement.',
  },
};

function countOf(count: number, singular: string, plural: string): string {
  return `${count} ${count > 1 ? plural : singular}`;
}

/** Subject and paragraphs of the lifecycle notices (opening, activation, deletion), or null for an item notice. */
function lifecycleWording(input: NotificationEmailInput): { subject: string; paragraphs: string[] } | null {
  switch (input.subjectKind) {
    case 'opening-notice': {
      const deadline = input.details?.oppositionDeadline ? frenchDate(new Date(input.details.oppositionDeadline)) : null;
      return {
        subject: 'Ouverture de votre profil Mon espace santé',
        paragraphs: [
          "L'Assurance Maladie va créer votre profil Mon espace santé, le service public qui vous permet de conserver vos documents de santé, d'échanger avec vos professionnels de santé par une messagerie sécurisée et de retrouver votre dossier médical partagé.",
          `Si vous ne souhaitez pas de profil Mon espace santé, vous pouvez vous y opposer${deadline ? ` jusqu'au ${deadline}` : ''} sur ${MON_ESPACE_SANTE_URL}. Sans opposition de votre part, votre profil sera créé ; vous pourrez ensuite l'activer, ou le clôturer à tout moment.`,
        ],
      };
    }
    case 'activation-summary': {
      const messages = countOf(input.details?.messages ?? 0, 'message', 'messages');
      const documents = countOf(input.details?.documents ?? 0, 'document', 'documents');
      return {
        subject: 'Bienvenue dans Mon espace santé',
        paragraphs: [
          'Votre profil Mon espace santé est activé.',
          `${messages} et ${documents} reçus avant l'activation vous attendent. Pour les consulter, connectez-vous à Mon espace santé : ${MON_ESPACE_SANTE_URL}`,
        ],
      };
    }
    case 'deletion-done':
      return {
        subject: 'Suppression de votre profil Mon espace santé effectuée',
        paragraphs: [
          "Comme vous l'avez demandé, votre profil Mon espace santé et tout son contenu ont été supprimés.",
          `Vous pouvez à tout moment ouvrir un nouveau profil sur ${MON_ESPACE_SANTE_URL}.`,
        ],
      };
    default:
      return null;
  }
}

/**
 * Writes the French notice that something new is waiting in Mon espace santé, or a lifecycle notice (opening,
 * activation, deletion). It names no professional and no title, body or diagnosis: an email can be read by
 * someone else, so it carries no health content.
 */
export function composeNotificationEmail(input: NotificationEmailInput): NotificationEmail {
  const lifecycle = lifecycleWording(input);
  let subject: string;
  let paragraphs: string[];

  if (lifecycle) {
    subject = lifecycle.subject;
    paragraphs = lifecycle.paragraphs;
  } else {
    const wording = ITEM_WORDING[input.subjectKind as ItemNoticeKind];
    subject = wording.subject;
    // A created account has not been activated yet, so the notice explains how to activate before reading.
    const howToRead =
      input.channel === 'personal-email'
        ? `Pour le consulter, connectez-vous à Mon espace santé : ${MON_ESPACE_SANTE_URL}`
        : [
            "Votre profil Mon espace santé a été créé mais vous ne l'avez pas encore activé.",
            `Pour le consulter, activez votre profil sur ${MON_ESPACE_SANTE_URL}, muni de votre carte Vitale.`,
          ].join('\n');
    paragraphs = [wording.what, howToRead];
  }

  const text = [
    'Bonjour,',
    '',
    ...paragraphs.flatMap((paragraph) => [paragraph, '']),
    'Pour protéger vos données, ce courriel ne contient aucune information sur votre santé.',
    'Ce courriel est envoyé automatiquement : merci de ne pas y répondre.',
    '',
    "L'équipe Mon espace santé",
    '',
  ].join('\n');

  return { subject, text };
}
