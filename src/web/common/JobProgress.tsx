// The progress of a long job (import, detail table, export; issue 14): rows done of the total
// ("约" before an estimated total), a percent bar that stays below 100 until the job is done, and
// the time left at the rate so far. The arithmetic is in shared/progress.ts.
import { Progress, Typography } from 'antd';
import { progressPercent, rowsText, timeLeftText, type JobProgressInput } from '../../shared/progress';

export type JobProgressProps = JobProgressInput & {
  /** Shown before the rows, e.g. "正在写入". */
  label?: string;
  failed?: boolean;
  size?: 'small' | 'default';
  'data-testid'?: string;
};

export function JobProgress(props: JobProgressProps) {
  const { label, failed, size = 'default' } = props;
  const left = failed ? null : timeLeftText(props);
  const small = size === 'small';
  return (
    <div data-testid={props['data-testid'] ?? 'job-progress'} style={{ minWidth: small ? 160 : 280 }}>
      <Progress
        aria-label={label ? `${label}进度` : '进度'}
        percent={progressPercent(props)}
        status={failed ? 'exception' : props.finished ? 'success' : 'active'}
        size={small ? 'small' : undefined}
        style={{ margin: 0 }}
      />
      <Typography.Text type="secondary" style={{ fontSize: small ? 12 : 13 }}>
        {label ? `${label}：` : ''}
        <span data-testid="job-progress-rows">{rowsText(props)}</span>
        {left && (
          <>
            {'，'}
            <span data-testid="job-progress-left">{left}</span>
          </>
        )}
      </Typography.Text>
    </div>
  );
}
