/** Colours for carets and presence: each passes WCAG AA (≥ 4.5:1) with white text. */
export const PRESENCE_COLOURS = [
  '#1a5fb4',
  '#a51d2d',
  '#26734d',
  '#7a3b9a',
  '#8f4b00',
  '#00656b',
  '#a3246b',
  '#4a4fb3',
] as const

/**
 * A participant's colour from their place in the join order, which every client sees the
 * same way: the first eight people get eight different colours (a hash would collide).
 */
export const colourFor = (
  participantId: string,
  participants: { id: string; joinedAt: string }[],
): string => {
  const order = [...participants].sort(
    (a, b) => a.joinedAt.localeCompare(b.joinedAt) || a.id.localeCompare(b.id),
  )
  let i = order.findIndex((p) => p.id === participantId)
  if (i < 0) {
    i = 0
    for (const ch of participantId) i = (i * 31 + ch.charCodeAt(0)) >>> 0
  }
  return PRESENCE_COLOURS[i % PRESENCE_COLOURS.length]
}
