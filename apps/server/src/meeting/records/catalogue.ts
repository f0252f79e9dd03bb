import type { AmendmentStatus, AmendmentType, DraftKind, VoteMethod } from '@roundtable/protocol'

/**
 * The server's words in the minutes, in English and French. French typography: a narrow no-break
 * space (U+202F) before « : ; ! ? » and inside guillemets, typographic apostrophes.
 */
export const MINUTES_LANGS = ['en', 'fr'] as const
export type MinutesLang = (typeof MINUTES_LANGS)[number]

const NNBSP = '\u202f'

export interface Catalogue {
  minutesOf: (meeting: string) => string
  held: (date: string, place: string) => string
  generated: (at: string) => string
  /** The draft export's stamp: when the file was made. */
  exported: (at: string) => string
  attendance: string
  chair: string
  observers: string
  noDelegation: string
  agenda: string
  planned: (minutes: number) => string
  notOpened: string
  speakers: string
  noSpeakers: string
  pointOfOrder: string
  speakingTime: string
  votes: string
  noVotes: string
  method: string
  methods: Record<VoteMethod, string>
  secret: (secret: boolean) => string
  votersBy: (v: 'delegates' | 'delegations') => string
  threshold: string
  quorum: string
  seats: string
  optionsHash: string
  turnout: (cast: number, eligible: number) => string
  result: string
  adopted: string
  notAdopted: string
  winners: string
  ranking: string
  working: string
  quorumNotMet: string
  tie: string
  status: Record<'draft' | 'open' | 'closed', string>
  amendments: string
  noAmendments: string
  amendmentTypes: Record<AmendmentType, string>
  amendmentStatuses: Record<AmendmentStatus, string>
  proposedBy: string
  byVote: string
  byConsensus: string
  reason: string
  adoptedTexts: string
  draftKinds: Record<DraftKind, string>
  emptyDraft: string
  quote: (s: string) => string
  minutes: (n: number) => string
  version: (n: number, name: string) => string
  noVersion: string
  colon: string
}

const EN: Catalogue = {
  minutesOf: (m) => `Minutes — ${m}`,
  held: (date, place) => (place ? `Held on ${date}, ${place}` : `Held on ${date}`),
  generated: (at) => `Generated from the record on ${at}`,
  exported: (at) => `exported ${at}`,
  attendance: 'Attendance',
  chair: 'Chair',
  observers: 'Observers',
  noDelegation: 'No delegation',
  agenda: 'Agenda',
  planned: (m) => `planned ${m} min`,
  notOpened: 'not taken up',
  speakers: 'Speakers',
  noSpeakers: 'Nobody took the floor.',
  pointOfOrder: 'point of order',
  speakingTime: 'Speaking time by delegation',
  votes: 'Votes',
  noVotes: 'No vote was held.',
  method: 'Method',
  methods: {
    schulze: 'Schulze',
    ranked_pairs: 'Ranked pairs',
    copeland: 'Copeland',
    minimax: 'Minimax',
    kemeny_young: 'Kemeny–Young',
    borda: 'Borda count',
    dowdall: 'Dowdall',
    irv: 'Instant runoff',
    coombs: 'Coombs',
    stv: 'Single transferable vote',
    plurality: 'Plurality',
    two_round_runoff: 'Two-round runoff',
    approval: 'Approval',
    score: 'Score',
    star: 'STAR',
    majority_judgment: 'Majority judgment',
    cumulative: 'Cumulative',
    consent: 'Consent',
    motion: 'Motion (yes / no / abstain)',
  },
  secret: (s) => (s ? 'secret ballot' : 'open ballot'),
  votersBy: (v) => (v === 'delegations' ? 'one voice per delegation' : 'one voice per delegate'),
  threshold: 'Threshold',
  quorum: 'Quorum',
  seats: 'Seats',
  optionsHash: 'Options hash',
  turnout: (c, e) => `Turnout: ${c} of ${e}`,
  result: 'Result',
  adopted: 'adopted',
  notAdopted: 'not adopted',
  winners: 'Winner(s)',
  ranking: 'Ranking',
  working: 'Working',
  quorumNotMet: 'Quorum not met: the result does not stand.',
  tie: 'A tie, to be broken by the chair.',
  status: { draft: 'not opened', open: 'still open', closed: 'closed' },
  amendments: 'Amendments',
  noAmendments: 'No amendment was proposed.',
  amendmentTypes: { replace: 'Replace', insert: 'Insert', delete: 'Delete' },
  amendmentStatuses: {
    proposed: 'proposed',
    voting: 'being voted on',
    adopted: 'adopted',
    rejected: 'rejected',
    stale: 'to review (the text changed)',
  },
  proposedBy: 'proposed by',
  byVote: 'by vote',
  byConsensus: 'by consensus',
  reason: 'Reason',
  adoptedTexts: 'Adopted texts',
  draftKinds: {
    policy_brief: 'Policy brief',
    thematic_paper: 'Thematic paper',
    country_report: 'Country report',
  },
  emptyDraft: '(empty)',
  quote: (s) => `“${s}”`,
  minutes: (n) => `${n} min`,
  version: (n, name) => `Version ${n}: ${name}`,
  noVersion: 'No named version yet',
  colon: ':',
}

const FR: Catalogue = {
  minutesOf: (m) => `Procès-verbal — ${m}`,
  held: (date, place) => (place ? `Séance du ${date}, ${place}` : `Séance du ${date}`),
  generated: (at) => `Établi d’après le registre le ${at}`,
  exported: (at) => `exporté le ${at}`,
  attendance: 'Présences',
  chair: 'Présidence',
  observers: 'Observateurs',
  noDelegation: 'Sans délégation',
  agenda: 'Ordre du jour',
  planned: (m) => `prévu${NNBSP}: ${m}${NNBSP}min`,
  notOpened: 'non abordé',
  speakers: 'Interventions',
  noSpeakers: 'Personne n’a pris la parole.',
  pointOfOrder: 'motion d’ordre',
  speakingTime: 'Temps de parole par délégation',
  votes: 'Votes',
  noVotes: 'Aucun vote n’a eu lieu.',
  method: 'Méthode',
  methods: {
    schulze: 'Schulze',
    ranked_pairs: 'Paires classées',
    copeland: 'Copeland',
    minimax: 'Minimax',
    kemeny_young: 'Kemeny–Young',
    borda: 'Méthode de Borda',
    dowdall: 'Dowdall',
    irv: 'Vote alternatif',
    coombs: 'Coombs',
    stv: 'Vote unique transférable',
    plurality: 'Scrutin majoritaire à un tour',
    two_round_runoff: 'Scrutin à deux tours',
    approval: 'Vote par approbation',
    score: 'Vote par notes',
    star: 'STAR',
    majority_judgment: 'Jugement majoritaire',
    cumulative: 'Vote cumulatif',
    consent: 'Consentement',
    motion: 'Motion (pour / contre / abstention)',
  },
  secret: (s) => (s ? 'scrutin secret' : 'scrutin public'),
  votersBy: (v) => (v === 'delegations' ? 'une voix par délégation' : 'une voix par délégué'),
  threshold: 'Seuil',
  quorum: 'Quorum',
  seats: 'Sièges',
  optionsHash: 'Empreinte des options',
  turnout: (c, e) => `Participation${NNBSP}: ${c} sur ${e}`,
  result: 'Résultat',
  adopted: 'adoptée',
  notAdopted: 'rejetée',
  winners: 'Élu(s)',
  ranking: 'Classement',
  working: 'Détail du décompte',
  quorumNotMet: `Quorum non atteint${NNBSP}: le résultat n’est pas valable.`,
  tie: 'Égalité, à départager par la présidence.',
  status: { draft: 'non ouvert', open: 'encore ouvert', closed: 'clos' },
  amendments: 'Amendements',
  noAmendments: 'Aucun amendement n’a été proposé.',
  amendmentTypes: { replace: 'Remplacer', insert: 'Insérer', delete: 'Supprimer' },
  amendmentStatuses: {
    proposed: 'proposé',
    voting: 'en cours de vote',
    adopted: 'adopté',
    rejected: 'rejeté',
    stale: 'à revoir (le texte a changé)',
  },
  proposedBy: 'proposé par',
  byVote: 'par vote',
  byConsensus: 'par consensus',
  reason: 'Motif',
  adoptedTexts: 'Textes adoptés',
  draftKinds: {
    policy_brief: 'Note de synthèse',
    thematic_paper: 'Document thématique',
    country_report: 'Rapport national',
  },
  emptyDraft: '(vide)',
  quote: (s) => `«${NNBSP}${s}${NNBSP}»`,
  minutes: (n) => `${n}${NNBSP}min`,
  version: (n, name) => `Version ${n}${NNBSP}: ${name}`,
  noVersion: 'Pas encore de version nommée',
  colon: `${NNBSP}:`,
}

export const CATALOGUES: Record<MinutesLang, Catalogue> = { en: EN, fr: FR }

/** A calendar day (YYYY-MM-DD, no time zone: a meeting's date) in the language's order. */
export const dayOf = (ymd: string, lang: MinutesLang): string => {
  const [y, m, d] = ymd.slice(0, 10).split('-')
  return lang === 'fr' ? `${d}/${m}/${y}` : `${y}-${m}-${d}`
}

/**
 * The times of one output in one zone: the reader's (`tz`), else UTC. Every time carries its offset
 * ("14:05 UTC+01:00", "14:05 UTC"), the same words in English and French; the zone's name is said
 * once (headings, the generated-at line). The server does not know the room's zone, so an
 * unlabelled time would be a guess.
 */
export interface OutputClock {
  /** The zone's IANA name as the reader gave it, its case as Intl spells it ("UTC", "Europe/Paris"). */
  zone: string
  /** "14:05" in the zone. */
  time: (at: string | Date) => string
  /** "UTC+01:00" (or "UTC"): the zone's offset at that instant, summer time included. */
  offset: (at: string | Date) => string
  /** "14:05 UTC+01:00": the time and its offset. */
  at: (at: string | Date) => string
  /** The instant's calendar day in the zone, then its time and offset, then the zone's name. */
  stamp: (at: string | Date, lang: MinutesLang) => string
}

/** IANA names only (no "+01:00", no free text in a heading): letters, digits, `_ + - /`. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/

const zoneFormat = (timeZone: string) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'longOffset',
  })

const clockIn = (asked: string): OutputClock => {
  const format = zoneFormat(asked)
  const resolved = format.resolvedOptions().timeZone
  // Every alias of UTC ("Etc/UTC", "GMT") reads "UTC". ICU answers some zones by an older alias
  // ("Asia/Kolkata" → "Asia/Calcutta"): the reader's own name is kept, only its case is Intl's.
  const zone = resolved === 'UTC' || resolved.toLowerCase() === asked.toLowerCase() ? resolved : asked
  const parts = (at: string | Date) => {
    const p = Object.fromEntries(format.formatToParts(new Date(at)).map((x) => [x.type, x.value]))
    // ICU writes the offset as "GMT+02:00" (and UTC as "GMT" or "GMT+00:00").
    const offset = p.timeZoneName.replace(/^GMT(\+00:00)?$/, 'UTC').replace(/^GMT/, 'UTC')
    return { ymd: `${p.year}-${p.month}-${p.day}`, hhmm: `${p.hour}:${p.minute}`, offset }
  }
  return {
    zone,
    time: (when) => parts(when).hhmm,
    offset: (when) => parts(when).offset,
    at: (when) => {
      const { hhmm, offset } = parts(when)
      return `${hhmm} ${offset}`
    },
    stamp: (when, lang) => {
      const { ymd, hhmm, offset } = parts(when)
      return `${dayOf(ymd, lang)} ${hhmm} ${offset}${zone === 'UTC' ? '' : ` (${zone})`}`
    },
  }
}

export const UTC_CLOCK: OutputClock = clockIn('UTC')

/** The clock of a `tz` query parameter: none → UTC; a name Intl does not know → an error value. */
export const clockOf = (tz: string | undefined): { error: string } | { data: OutputClock } => {
  if (tz === undefined || tz === '') return { data: UTC_CLOCK }
  const unknown = {
    error: `Unknown time zone "${tz.slice(0, 64)}": give an IANA name such as Europe/Paris or UTC.`,
  }
  if (!ZONE_NAME.test(tz)) return unknown
  try {
    return { data: clockIn(tz) }
  } catch {
    // Intl throws a RangeError for a zone its tz database does not hold.
    return unknown
  }
}
