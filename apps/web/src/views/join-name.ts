import { LIMITS } from '@roundtable/protocol'

/**
 * The name an invitation's label suggests: "Chair (Mark Forman)" → "Mark Forman"; a label with
 * no parenthesis is taken whole ("Amélie Durand").
 */
export const nameFromLabel = (label: string): string => {
  const m = /\(([^()]+)\)\s*$/.exec(label)
  return (m ? m[1] : label).trim().slice(0, LIMITS.name)
}
