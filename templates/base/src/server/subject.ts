/** A person's subject: whose state and audit records are theirs (a leaf module: the tools' audit trail imports it). */
export const personSubject = (userId: string) => `user:${userId}`;
