import type { NotificationSubject } from '../store/notifications';

/** Public address of Mon espace santé, given to patients in every notice. */
export const MON_ESPACE_SANTE_URL = 'https://www.monespacesante.fr';

/** Subject kind and channel of a notice; never the item's content. */
export interface NotificationEmailInput {
  subjectKind: NotificationSubject;
  channel: 'personal-email' | 'am-email';
}

/** Subject and plain-text body of a notice, in French. */
export interface NotificationEmail {
  subject: string;
  text: string;
}

/** Subject line and first paragraph of each kind of notice. */
const WORDING: Record<NotificationSubject, { subject: string; what: string }> = {
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

/**
 * Writes the French notice that something new is waiting in Mon espace santé. It names no professional and no
 * title, body or diagnosis: an email can be read by someone else, so it carries no health content.
 */
export function composeNotificationEmail(input: NotificationEmailInput): NotificationEmail {
  const { subject, what } = WORDING[input.subjectKind];

  // A created account has not been activated yet: the notice tells how to activate before reading.
  const howToRead =
    input.channel === 'personal-email'
      ? `Pour le consulter, connectez-vous à Mon espace santé : ${MON_ESPACE_SANTE_URL}`
      : [
          "Votre profil Mon espace santé a été créé mais vous ne l'avez pas encore activé.",
          `Pour le consulter, activez votre profil sur ${MON_ESPACE_SANTE_URL}, muni de votre carte Vitale.`,
        ].join('\n');

  const text = [
    'Bonjour,',
    '',
    what,
    '',
    howToRead,
    '',
    'Pour protéger vos données, ce courriel ne contient aucune information sur votre santé.',
    'Ce courriel est envoyé automatiquement : merci de ne pas y répondre.',
    '',
    "L'équipe Mon espace santé",
    '',
  ].join('\n');

  return { subject, text };
}
