import { type VoteMethod, VOTE_METHODS } from '@roundtable/protocol'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import { useCommand } from '../../app/use-command.ts'
import type { ClientError } from '../../shared/api/http.ts'
import { Field } from '../../shared/ui/Field.tsx'
import { ballotKindOf } from './ballot.ts'
import { buildCreate, type CreateDraft, initialCreateDraft } from './create.ts'

const METHODS = Object.keys(VOTE_METHODS) as VoteMethod[]

/** The chair's form for a new vote on the current agenda item (created as a draft, opened after). */
export const CreateVoteForm = () => {
  const { t } = useTranslation()
  const command = useCommand()
  const delegations = useMeeting((s) => s.delegations)
  const current = useMeeting((s) => s.agenda.find((i) => i.id === s.currentItemId) ?? null)
  const [d, setD] = useState<CreateDraft>(initialCreateDraft)
  const details = useRef<HTMLDetailsElement>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [refusal, setRefusal] = useState<ClientError | null>(null)
  const update = (patch: Partial<CreateDraft>) => {
    setD((x) => ({ ...x, ...patch }))
    setProblem(null)
    setRefusal(null)
  }
  const kind = ballotKindOf(d.method)
  const submit = async () => {
    const built = buildCreate(d)
    if (built.error) {
      setProblem(t(`votes.createProblem.${built.error}`))
      return
    }
    const r = await command('vote:create', built.data, { key: 'votes.create.created' })
    if (r.error) setRefusal(r.error)
    else {
      setD(initialCreateDraft)
      // Folded away: the new draft's card, with its Open button, is what the chair needs next.
      if (details.current) details.current.open = false
    }
  }
  return (
    <details ref={details} className="create-vote">
      <summary>{t('votes.create.title')}</summary>
      <form
        className="form"
        aria-label={t('votes.create.title')}
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <p className="hint">
          {current ? t('votes.create.onItem', { title: current.title }) : t('votes.create.noItem')}
        </p>
        <Field id="vote-question" label={t('votes.create.question')}>
          {(c) => (
            <input
              {...c}
              type="text"
              required
              maxLength={200}
              value={d.question}
              onChange={(e) => update({ question: e.target.value })}
            />
          )}
        </Field>
        <fieldset className="choices">
          <legend>{t('votes.create.options')}</legend>
          <label className="choice">
            <input
              type="radio"
              name="vote-source"
              checked={d.source === 'free'}
              onChange={() => update({ source: 'free' })}
            />
            <span>{t('votes.create.free')}</span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="vote-source"
              checked={d.source === 'board'}
              onChange={() => update({ source: 'board' })}
            />
            <span>{t('votes.create.board')}</span>
          </label>
        </fieldset>
        {d.source === 'free' ? (
          <Field
            id="vote-options"
            label={t('votes.create.optionLines')}
            hint={t('votes.create.optionLinesHint')}
          >
            {(c) => (
              <textarea
                {...c}
                rows={5}
                value={d.optionsText}
                onChange={(e) => update({ optionsText: e.target.value })}
              />
            )}
          </Field>
        ) : (
          <p className="hint">{t('votes.create.boardHint')}</p>
        )}
        <Field
          id="vote-method"
          label={t('votes.create.method')}
          hint={t(`votes.methods.${d.method}.explain`)}
        >
          {(c) => (
            <select
              {...c}
              value={d.method}
              onChange={(e) => update({ method: e.target.value as VoteMethod })}
            >
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {t(`votes.methods.${m}.name`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="row">
          {d.method === 'stv' ? (
            <Field wrap id="vote-seats" label={t('votes.create.seats')}>
              {(c) => (
                <input
                  {...c}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  value={d.seats}
                  onChange={(e) => update({ seats: e.target.value })}
                />
              )}
            </Field>
          ) : null}
          {kind === 'score' ? (
            <Field wrap id="vote-max" label={t('votes.create.max')}>
              {(c) => (
                <input
                  {...c}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={1000}
                  value={d.max}
                  onChange={(e) => update({ max: e.target.value })}
                />
              )}
            </Field>
          ) : null}
          {kind === 'budget' ? (
            <Field wrap id="vote-points" label={t('votes.create.points')}>
              {(c) => (
                <input
                  {...c}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={1000}
                  value={d.points}
                  onChange={(e) => update({ points: e.target.value })}
                />
              )}
            </Field>
          ) : null}
          {d.method === 'motion' ? (
            <Field wrap id="vote-threshold" label={t('votes.create.threshold')}>
              {(c) => (
                <select
                  {...c}
                  value={d.threshold}
                  onChange={(e) => update({ threshold: e.target.value as CreateDraft['threshold'] })}
                >
                  {(['simple', 'absolute', 'two_thirds'] as const).map((th) => (
                    <option key={th} value={th}>
                      {t(`votes.threshold.${th}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <Field wrap id="vote-quorum" label={t('votes.create.quorum')} hint={t('votes.create.quorumHint')}>
            {(c) => (
              <input
                {...c}
                type="number"
                inputMode="numeric"
                min={1}
                value={d.quorum}
                onChange={(e) => update({ quorum: e.target.value })}
              />
            )}
          </Field>
          <Field wrap id="vote-timer" label={t('votes.create.timer')} hint={t('votes.create.timerHint')}>
            {(c) => (
              <input
                {...c}
                type="number"
                inputMode="decimal"
                min={0}
                step="any"
                value={d.timerMinutes}
                onChange={(e) => update({ timerMinutes: e.target.value })}
              />
            )}
          </Field>
        </div>
        <fieldset className="choices">
          <legend>{t('votes.create.secrecy')}</legend>
          <label className="choice">
            <input
              type="radio"
              name="vote-secret"
              checked={d.secret}
              onChange={() => update({ secret: true })}
            />
            <span>{t('votes.create.secret')}</span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="vote-secret"
              checked={!d.secret}
              onChange={() => update({ secret: false })}
            />
            <span>{t('votes.create.open')}</span>
          </label>
        </fieldset>
        <fieldset className="choices">
          <legend>{t('votes.create.voters')}</legend>
          <label className="choice">
            <input
              type="radio"
              name="vote-voters"
              checked={d.voters === 'delegates'}
              onChange={() => update({ voters: 'delegates' })}
            />
            <span>{t('votes.create.delegates')}</span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="vote-voters"
              checked={d.voters === 'delegations'}
              onChange={() => update({ voters: 'delegations' })}
            />
            <span>{t('votes.create.delegations')}</span>
          </label>
        </fieldset>
        {d.voters === 'delegations' && delegations.length > 0 ? (
          <fieldset className="weights">
            <legend>{t('votes.create.weights')}</legend>
            <p className="hint">{t('votes.create.weightsHint')}</p>
            {delegations.map((del) => (
              <div key={del.id} className="weight-row">
                <label htmlFor={`weight-${del.id}`}>{del.name}</label>
                <input
                  id={`weight-${del.id}`}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={1000}
                  placeholder="1"
                  value={d.weights[del.id] ?? ''}
                  onChange={(e) => update({ weights: { ...d.weights, [del.id]: e.target.value } })}
                />
              </div>
            ))}
          </fieldset>
        ) : null}
        <p className="error" role="alert">
          {problem ??
            (refusal
              ? d.source === 'board' && refusal.code === 'RT_ERR_CONFLICT'
                ? `${t('votes.create.boardRefused')} ${refusal.message}`
                : refusal.message
              : null)}
        </p>
        <button type="submit" className="primary">
          {t('votes.create.submit')}
        </button>
      </form>
    </details>
  )
}
