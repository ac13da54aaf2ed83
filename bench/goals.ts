/** The performance goals of the issue, checked against one bench result. */
interface Goal {
  metric:
    | 'cold_over_floor' | 'cold_verifications_per_s' | 'warm_verify_p99_ms' | 'rss_mb_10k_verdicts' | 'import_ms' | 'cli_help_over_node' | 'cli_verify_over_node'
    | 'admission_reviews_per_s' | 'admission_cpu_over_floor' | 'stampede_not_allowed' | 'stampede_heads_per_window_over_tags' | 'cold_cpu_over_floor_concurrent'
    | 'hostile_event_loop_delay_p99_ms' | 'hostile_admissions_over_deadline';
  comparison: '<=' | '>=' | '<';
  target: number;
}

const GOALS: readonly Goal[] = [
  { metric: 'cold_over_floor', comparison: '<=', target: 1.3 },
  { metric: 'cold_verifications_per_s', comparison: '>=', target: 1000 },
  { metric: 'warm_verify_p99_ms', comparison: '<', target: 0.1 },
  { metric: 'rss_mb_10k_verdicts', comparison: '<', target: 150 },
  { metric: 'import_ms', comparison: '<', target: 300 },
  // Issue 11: warm admission over HTTP at 64 in flight, the refresh stampede, cold CPU at 32 in flight.
  { metric: 'admission_reviews_per_s', comparison: '>=', target: 3000 },
  { metric: 'admission_cpu_over_floor', comparison: '<=', target: 3 },
  { metric: 'stampede_not_allowed', comparison: '<=', target: 0 },
  { metric: 'stampede_heads_per_window_over_tags', comparison: '<=', target: 1 },
  { metric: 'cold_cpu_over_floor_concurrent', comparison: '<=', target: 1.2 },
  // Issue 9: warm admissions while hostile verifications run.
  { metric: 'hostile_event_loop_delay_p99_ms', comparison: '<', target: 50 },
  { metric: 'hostile_admissions_over_deadline', comparison: '<=', target: 0 },
];

export type GoalReport = Record<Goal['metric'], { goal: string; value: number; met: boolean }>;

export function evaluateGoals(result: Record<Goal['metric'], number>): GoalReport {
  const report = {} as GoalReport;
  for (const { metric, comparison, target } of GOALS) {
    const value = result[metric];
    const met = comparison === '<=' ? value <= target : comparison === '>=' ? value >= target : value < target;
    report[metric] = { goal: `${comparison} ${target}`, value, met };
  }
  return report;
}
