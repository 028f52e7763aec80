/**
 * Rejection codes a professional's software receives, each with the French message shown to the professional.
 * The codes are stable: backends branch on them.
 */
export const REJECTION_MESSAGES = {
  PATIENT_OPPOSED: "Message non envoyé : le patient s'est opposé à la création de son profil Mon espace santé.",
  DMP_CLOSED: 'Document refusé : le DMP de ce patient est fermé.',
  ACCOUNT_CLOSED: 'Message non envoyé : le profil Mon espace santé de ce patient est clôturé.',
  ACCOUNT_NOT_OPEN:
    "Refusé : le profil Mon espace santé de ce patient n'est pas encore ouvert (période d'opposition en cours).",
  PATIENT_UNKNOWN: 'Refusé : aucun profil Mon espace santé ne correspond à cet INS.',
  ACCOUNT_EVENT_REJECTED: "Événement refusé : il ne s'applique pas au statut actuel du profil.",
  ANNOUNCEMENT_REJECTED:
    "Consultation refusée : le document annoncé n'existe pas dans ce DMP, n'a pas été déposé par ce professionnel ou n'est plus masqué au patient.",
  DELETION_PENDING:
    "Activation refusée : une suppression du profil est en cours ; l'activation sera possible une fois la suppression effectuée.",
  HOLDER_DECEASED: 'Événement refusé : le profil a été clôturé à la suite du décès de son titulaire.',
  REPLY_BLOCKED:
    "Réponse impossible : le professionnel a clos cette conversation ou n'a pas indiqué d'adresse de messagerie sécurisée.",
  MESSAGE_NOT_FOUND: "Message introuvable dans cet espace : vérifiez l'identifiant du message.",
  DOCUMENT_NOT_FOUND: "Document introuvable dans ce dossier : vérifiez l'identifiant du document.",
  CONVERSATION_NOT_OWNED: "Refusé : seul le professionnel qui a envoyé le message peut clore la conversation.",
  ACCOUNT_NOT_ACTIVATED:
    "Action impossible : le profil Mon espace santé n'est pas activé (jamais activé, clôturé ou en opposition) ; l'historique, la lecture et les réponses demandent un profil activé.",
} as const;

/** A rejection code other than `INVALID_REQUEST`, whose message names the field. */
export type RejectionCode = keyof typeof REJECTION_MESSAGES;

/** Codes of a professional's rejected message or document, as the account machine's meta lists them. */
export type DeliveryRejectionCode = Extract<
  RejectionCode,
  'PATIENT_OPPOSED' | 'DMP_CLOSED' | 'ACCOUNT_CLOSED' | 'ACCOUNT_NOT_OPEN' | 'PATIENT_UNKNOWN'
>;

/** Messages of a rejected consultation where the generic one speaks of a document or a message. */
export const CONSULTATION_REJECTION_MESSAGES: Partial<Record<RejectionCode, string>> = {
  DMP_CLOSED: 'Consultation refusée : le DMP de ce patient est fermé.',
};
