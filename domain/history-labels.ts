/** French wording of each audit action, as the holder reads it in the history. */
export const HISTORY_ACTION_LABELS: Record<string, string> = {
  'account.opening': "Envoi de la notice d'information sur l'ouverture du profil",
  'account.created': 'Création du profil Mon espace santé',
  'account.activated': 'Activation du profil par son titulaire',
  'account.opposed': 'Opposition à la création du profil',
  'account.closed': 'Clôture du profil',
  'account.opposition-window-elapsed': "Fin de la période d'opposition : création du profil",
  'account.deletion-requested': 'Demande de suppression du profil',
  'account.purged': 'Suppression du contenu archivé du profil',
  'message.read': 'Lecture du message',
  'document.read': 'Lecture du document',
  'message.replied': 'Réponse envoyée au professionnel de santé',
  'conversation.ended': 'Conversation close par le professionnel de santé',
  'notification.sent-by-post': 'Courrier envoyé par la poste',
  'notification.cancelled': 'Notification annulée',
  'statement.sent': "Relevé d'activité annuel envoyé par courrier",
  'message.received': 'Message reçu dans la messagerie sécurisée',
  'document.fed': 'Document ajouté au dossier médical',
  'dmp.consulted': 'Consultation du dossier médical',
  'dmp.consulted-in-emergency': "Consultation du dossier médical en urgence (accès « bris de glace »)",
  'notification.sent': 'Notification envoyée par courriel',
  'notification.queued-for-statement': "Information reportée sur le relevé d'activité annuel envoyé par courrier",
  'notification.fallback-to-statement':
    "Courriel de notification impossible à remettre : information reportée sur le relevé d'activité annuel",
};

/** French wording of the actor types of the history. */
export const ACTOR_TYPE_LABELS: Record<string, string> = {
  'health-professional': 'Professionnel de santé',
  facility: 'Établissement',
  patient: 'Patient',
  system: 'Système',
};
