import { HostScreen } from '@/features/live/components/host-screen';
import { hostTimingFrom } from '@/features/live/model/host-timer';
import { useLocation } from '@/lib/router';

export default function LiveHostPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  // `?seconds=30&choices=3`: the timing the start form chose, kept in the address so a reload keeps it.
  const location = useLocation();
  const timing = hostTimingFrom(location.split('?')[1] ?? '');
  return <HostScreen key={id} sessionId={id} timing={timing} />;
}
