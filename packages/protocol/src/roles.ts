export const ROLES = ['chair', 'delegate', 'observer'] as const
export type Role = (typeof ROLES)[number]

/** What each role may do. The server checks these; the client only uses them to hide controls. */
export const PERMISSIONS = {
  readDoc: ['chair', 'delegate', 'observer'],
  writeDoc: ['chair', 'delegate'],
  setPresence: ['chair', 'delegate', 'observer'],
  changeAgenda: ['chair'],
  manageInvitations: ['chair'],
  changeRoles: ['chair'],
  readAudit: ['chair'],
  /** Rank the priority areas on the board (a straw ranking, not a vote). */
  rankPriorities: ['chair', 'delegate'],
  /** Choose the board's counting method, reveal rankings, freeze the list. */
  runBoard: ['chair'],
  /** Create, open, close and count formal votes. */
  runVotes: ['chair'],
  /** Cast a ballot in a formal vote. */
  castVote: ['delegate'],
  /** Ask for the floor (observers only where the chair allows it: checked by the floor domain). */
  requestFloor: ['chair', 'delegate', 'observer'],
  /** Give and end the floor, set speaking time. */
  runFloor: ['chair'],
  /** Decide amendments and brackets, seed outlines, name and restore versions of drafts. */
  runDrafting: ['chair'],
} as const satisfies Record<string, readonly Role[]>
export type Permission = keyof typeof PERMISSIONS

export const can = (role: Role, permission: Permission): boolean =>
  (PERMISSIONS[permission] as readonly Role[]).includes(role)
