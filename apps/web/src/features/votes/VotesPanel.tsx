import { can, type VoteResult, type VoteView } from '@roundtable/protocol'
import { useEffect, useState } from 'react'
import { useServerClock } from '../agenda/use-clock.ts'
import { useTranslation } from 'react-i18next'
import { useMeeting, useRuntime } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import { ConfirmButton } from '../../shared/ui/ConfirmButton.tsx'
import { BallotForm } from './BallotForm.tsx'
import { moveItem } from './ballot.ts'
import { TurnoutBar } from './charts.tsx'
import { CreateVoteForm } from './CreateVoteForm.tsx'
import { OptionsHash } from './OptionsHash.tsx'
import { ReceiptCheck } from './ReceiptCheck.tsx'
import { labeller, secondsLeft } from './result.ts'
import { Order, ResultView } from './ResultView.tsx'
import './votes.css'

const Countdown = ({ closesAt }: { closesAt: string }) => {
  const { t } = useTranslation()
  // On the server's clock (the offset the meeting's timers share): the server closes the vote, not this tab.
  const { localNow, offset } = useServerClock()
  const left = secondsLeft(closesAt, localNow, offset)
  const mm = Math.floor(left / 60)
  const ss = String(left % 60).padStart(2, '0')
  return (
    <p className="countdown">
      {left > 0 ? (
        <>
          {t('votes.card.closesIn')} <span className="countdown-time">{`${mm}:${ss}`}</span>
        </>
      ) : (
        t('votes.card.closing')
      )}
    </p>
  )
}

/** Who voted, by name (open votes only: the server sends no names for a secret one). */
const WhoVoted = ({ vote }: { vote: VoteView }) => {
  const { t } = useTranslation()
  const participants = useMeeting((s) => s.participants)
  const delegations = useMeeting((s) => s.delegations)
  const who = vote.turnout.who
  if (!who || vote.secret) return null
  const name = (id: string) =>
    vote.voters === 'delegations'
      ? (delegations.find((d) => d.id === id)?.name ?? id)
      : (participants.find((p) => p.id === id)?.displayName ?? id)
  return (
    <p className="who-voted">
      {who.length ? `${t('votes.card.whoVoted')} ${who.map(name).join(', ')}` : t('votes.card.nobodyYet')}
    </p>
  )
}

/** The chair's live count of an open (not secret) vote, on request. */
const LiveCount = ({ vote }: { vote: VoteView }) => {
  const { t } = useTranslation()
  const command = useCommand()
  const [live, setLive] = useState<{ result: VoteResult; ballots: number } | null>(null)
  // A new ballot makes a shown count stale: ask again rather than show an old one as live.
  // biome-ignore lint/correctness/useExhaustiveDependencies: refresh on every turnout change
  useEffect(() => {
    if (!live) return
    void command('vote:liveCount', { voteId: vote.id }).then((r) => r.data && setLive(r.data))
  }, [vote.turnout.cast])
  return (
    <div className="live-count">
      <button
        type="button"
        aria-expanded={live !== null}
        onClick={async () => {
          if (live) return setLive(null)
          const r = await command('vote:liveCount', { voteId: vote.id })
          if (r.data) setLive(r.data)
        }}
      >
        {live ? t('votes.card.hideLive') : t('votes.card.showLive')}
      </button>
      {live ? (
        <div className="live-result" role="status">
          <p>{t('votes.card.liveSoFar', { count: live.ballots })}</p>
          <Order ranking={live.result.ranking} label={labeller(vote)} />
        </div>
      ) : null}
    </div>
  )
}

/** A tie the count left: the chair puts the tied options in order, or draws lots from a seed. */
const TieBreak = ({ vote, tied }: { vote: VoteView; tied: string[] }) => {
  const { t } = useTranslation()
  const command = useCommand()
  const [order, setOrder] = useState(tied)
  const [seed, setSeed] = useState(() => String(Math.floor(Math.random() * 1_000_000)))
  const label = labeller(vote)
  return (
    <section className="tie-break" aria-labelledby={`tie-${vote.id}`}>
      <h4 id={`tie-${vote.id}`}>{t('votes.tie.title')}</h4>
      <p className="hint">{t('votes.tie.hint')}</p>
      <ol className="tie-order">
        {order.map((id, i) => (
          <li key={id}>
            <span>{label(id)}</span>
            <button
              type="button"
              className="icon"
              disabled={i === 0}
              aria-label={t('votes.rank.up', { label: label(id) })}
              onClick={() => setOrder(moveItem(order, i, i - 1))}
            >
              <span aria-hidden="true">↑</span>
            </button>
            <button
              type="button"
              className="icon"
              disabled={i === order.length - 1}
              aria-label={t('votes.rank.down', { label: label(id) })}
              onClick={() => setOrder(moveItem(order, i, i + 1))}
            >
              <span aria-hidden="true">↓</span>
            </button>
          </li>
        ))}
      </ol>
      <div className="row">
        <button
          type="button"
          className="primary"
          onClick={() =>
            void command(
              'vote:breakTie',
              { voteId: vote.id, rule: { method: 'chair', order } },
              { key: 'votes.tie.done' },
            )
          }
        >
          {t('votes.tie.byOrder')}
        </button>
      </div>
      <div className="row tie-lot">
        <label htmlFor={`seed-${vote.id}`}>{t('votes.tie.seed')}</label>
        <input
          id={`seed-${vote.id}`}
          type="text"
          maxLength={64}
          value={seed}
          onChange={(e) => setSeed(e.target.value)}
        />
        <button
          type="button"
          disabled={!seed.trim()}
          onClick={() =>
            void command(
              'vote:breakTie',
              { voteId: vote.id, rule: { method: 'lot', seed: seed.trim() } },
              { key: 'votes.tie.done' },
            )
          }
        >
          {t('votes.tie.byLot')}
        </button>
      </div>
    </section>
  )
}

/** After close: the published ballots, how to recount them, and the voter's receipt check. */
const Published = ({ vote }: { vote: VoteView }) => {
  const { t } = useTranslation()
  const { meetingId } = useRuntime()
  const url = `/api/meetings/${encodeURIComponent(meetingId)}/votes/${encodeURIComponent(vote.id)}/ballots`
  return (
    <section className="published" aria-labelledby={`published-${vote.id}`}>
      <h4 id={`published-${vote.id}`}>{t('votes.published.title')}</h4>
      <p>
        <a href={url} download={`ballots-${vote.id}.json`}>
          {t('votes.published.download')}
        </a>
      </p>
      <p className="hint">
        {t('votes.published.recount')} <code>pnpm --silent tally &lt; ballots.json</code>
      </p>
      <ReceiptCheck vote={vote} url={url} />
    </section>
  )
}

const VoteCard = ({ vote }: { vote: VoteView }) => {
  const { t } = useTranslation()
  const command = useCommand()
  const me = useMeeting((s) => s.me)
  const item = useMeeting((s) => s.agenda.find((i) => i.id === vote.agendaItemId) ?? null)
  const chair = me ? can(me.role, 'runVotes') : false
  const voter = me ? can(me.role, 'castVote') : false
  return (
    <article className={`vote-card status-${vote.status}`} aria-labelledby={`vote-${vote.id}-question`}>
      <header className="vote-head">
        <h3 id={`vote-${vote.id}-question`}>{vote.question}</h3>
        <p className="vote-facts">
          <span className={`badge vote-status status-${vote.status}`}>
            {t(`votes.status.${vote.status}`)}
          </span>{' '}
          {t(`votes.methods.${vote.method}.name`)}
          {vote.seats ? ` · ${t('votes.card.seats', { count: vote.seats })}` : ''}
          {' · '}
          {vote.secret ? t('votes.card.secret') : t('votes.card.open')}
          {' · '}
          {vote.voters === 'delegations' ? t('votes.card.byDelegation') : t('votes.card.byDelegate')}
          {vote.weights ? ` · ${t('votes.card.weighted')}` : ''}
        </p>
        {item ? <p className="hint">{t('votes.card.onItem', { title: item.title })}</p> : null}
        <p className="hint">{t(`votes.methods.${vote.method}.explain`)}</p>
      </header>
      {vote.status !== 'draft' ? (
        <div className="vote-live" aria-live="polite">
          <TurnoutBar
            cast={vote.turnout.cast}
            eligible={vote.turnout.eligible}
            label={t('votes.card.turnout', { cast: vote.turnout.cast, eligible: vote.turnout.eligible })}
          />
          <WhoVoted vote={vote} />
        </div>
      ) : (
        <ul className="draft-options">
          {vote.options.map((o) => (
            <li key={o.id}>{o.label}</li>
          ))}
        </ul>
      )}
      {vote.status === 'open' && vote.closesAt ? <Countdown closesAt={vote.closesAt} /> : null}
      {chair ? (
        <div className="row chair-actions">
          {vote.status === 'draft' ? (
            <button
              type="button"
              className="primary"
              onClick={() => void command('vote:open', { voteId: vote.id }, { key: 'votes.card.opened' })}
            >
              {t('votes.card.openVote')}
            </button>
          ) : null}
          {vote.status === 'open' ? (
            <ConfirmButton
              danger={false}
              label={t('votes.card.closeVote')}
              question={t('votes.card.closeQuestion', {
                cast: vote.turnout.cast,
                eligible: vote.turnout.eligible,
              })}
              onConfirm={async () => {
                await command('vote:close', { voteId: vote.id }, { key: 'votes.card.closed' })
              }}
            />
          ) : null}
        </div>
      ) : null}
      {chair && vote.status === 'open' && !vote.secret ? <LiveCount vote={vote} /> : null}
      {vote.status === 'open' && voter ? <BallotForm vote={vote} /> : null}
      {vote.status === 'open' && !voter ? <OptionsHash hash={vote.optionsHash} /> : null}
      {vote.status === 'closed' && vote.result ? (
        <>
          <ResultView vote={vote} result={vote.result} />
          {chair && vote.result.tie ? <TieBreak vote={vote} tied={vote.result.winners} /> : null}
          <OptionsHash hash={vote.optionsHash} />
          <Published vote={vote} />
        </>
      ) : null}
    </article>
  )
}

/** The Votes tab: the chair creates, opens and closes; delegates vote; everyone follows and checks. */
export const VotesPanel = () => {
  const { t } = useTranslation()
  const me = useMeeting((s) => s.me)
  const votes = useMeeting((s) => s.votes)
  const chair = me ? can(me.role, 'runVotes') : false
  // Newest first: the vote in progress is the one people come for.
  const shown = [...votes].reverse()
  return (
    <section className="votes-panel" aria-labelledby="votes-title">
      <h2 id="votes-title">{t('votes.title')}</h2>
      {chair ? <CreateVoteForm /> : null}
      {shown.length === 0 ? <p className="hint">{t('votes.none')}</p> : null}
      {shown.map((v) => (
        <VoteCard key={v.id} vote={v} />
      ))}
    </section>
  )
}
