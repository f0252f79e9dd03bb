import { Component, Fragment, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

const PanelFailed = ({ onRetry }: { onRetry: () => void }) => {
  const { t } = useTranslation()
  return (
    <div className="part-failed" role="alert">
      <span>{t('common.partFailed')}</span>
      <button type="button" onClick={onRetry}>
        {t('common.tryAgain')}
      </button>
    </div>
  )
}

interface State {
  failed: boolean
  /** Bumped by "Try again": a new key mounts the panel afresh, with no state from the failed one. */
  attempt: number
}

/**
 * Keeps a failing panel to itself: content this version does not understand (a shared
 * document from a newer client, say) throws while one panel renders, and the rest of the
 * meeting goes on working. React reports the error itself (console), so nothing is logged here.
 */
export class PanelBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false, attempt: 0 }

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true }
  }

  private readonly retry = () => this.setState((s) => ({ failed: false, attempt: s.attempt + 1 }))

  override render() {
    if (this.state.failed) return <PanelFailed onRetry={this.retry} />
    return <Fragment key={this.state.attempt}>{this.props.children}</Fragment>
  }
}
