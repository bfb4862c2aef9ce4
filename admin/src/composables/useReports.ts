import type { EnrolmentReport, FaceReport, ReportQuery, SalesReport, TopProductReport } from '@posface/protocol/admin-api';
import { computed, ref, shallowRef } from 'vue';
import { api, type ReportName } from '@/api/admin-client';
import { downloadText } from './useDownload';
import { useErrorText } from './useErrorText';

/** YYYY-MM-DD of a local date. */
export function isoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The last 7 days up to today: "the week's report". */
export function lastWeek(now = new Date()): [string, string] {
  const from = new Date(now);
  from.setDate(from.getDate() - 6);
  return [isoDate(from), isoDate(now)];
}

/** The reports for one date range in this browser's time zone (whole hours), loaded together; CSV per report. */
export function useReports() {
  const errorText = useErrorText();
  const range = ref<[string, string]>(lastWeek());
  const bucket = ref<'day' | 'week'>('day');
  const sales = shallowRef<SalesReport['rows']>([]);
  const face = shallowRef<FaceReport['rows']>([]);
  const enrolments = shallowRef<EnrolmentReport['rows']>([]);
  const top = shallowRef<TopProductReport['rows']>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);

  const query = computed<ReportQuery>(() => ({ from: range.value[0], to: range.value[1], bucket: bucket.value, utc_offset: Math.round(-new Date().getTimezoneOffset() / 60) }));

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const q = query.value;
      const [s, f, e, tp] = await Promise.all([api().report('sales', q), api().report('face', q), api().report('enrolments', q), api().report('top-products', q)]);
      sales.value = s.rows;
      face.value = f.rows;
      enrolments.value = e.rows;
      top.value = tp.rows;
      error.value = null;
    } catch (e) {
      error.value = errorText(e);
    } finally {
      loading.value = false;
    }
  }

  async function exportCsv(name: ReportName): Promise<void> {
    try {
      downloadText(`${name}-${range.value[0]}-${range.value[1]}.csv`, await api().reportCsv(name, query.value));
    } catch (e) {
      error.value = errorText(e);
    }
  }

  return { range, bucket, sales, face, enrolments, top, loading, error, load, exportCsv };
}
