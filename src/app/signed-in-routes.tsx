/**
 * The signed-in pages, each its own chunk (a dynamic import): loaded with the signed-in app, never by the
 * signed-out start (src/app/routes.tsx, SIGNED_IN_PATTERNS). Importing this module registers the table.
 */
import { setSignedInRoutes, type RouteDef } from '@/app/routes';

export const signedInRoutes: readonly RouteDef[] = [
  { pattern: '/', title: 'Home', load: () => import('@/app/pages/home-page') },
  { pattern: '/blocks/new', title: 'Create a block', load: () => import('@/app/pages/new-block-page') },
  { pattern: '/blocks/:id', title: 'Block', load: () => import('@/app/pages/player-page') },
  { pattern: '/blocks/:id/review', title: 'Review', load: () => import('@/app/pages/review-page') },
  { pattern: '/review', title: 'Spaced review', load: () => import('@/app/pages/new-review-page') },
  { pattern: '/assignments/:id', title: 'Assignment', load: () => import('@/app/pages/assignment-page') },
  { pattern: '/settings', title: 'Settings', load: () => import('@/app/pages/settings-page') },
  { pattern: '/leaderboard', title: 'Leaderboard', load: () => import('@/app/pages/leaderboard-page') },
  { pattern: '/instructor', title: 'Instructor', load: () => import('@/app/pages/instructor-page') },
  { pattern: '/instructor/cohorts/:id', title: 'Cohort', load: () => import('@/app/pages/instructor-cohort-page') },
  { pattern: '/instructor/cohorts/:id/items', title: 'Item statistics', load: () => import('@/app/pages/instructor-items-page') },
  { pattern: '/instructor/cohorts/:id/analytics', title: 'Cohort analytics', load: () => import('@/app/pages/instructor-analytics-page') },
  { pattern: '/instructor/questions', title: 'Questions', load: () => import('@/app/pages/instructor-questions-page') },
  { pattern: '/instructor/questions/:id', title: 'Question editor', load: () => import('@/app/pages/instructor-question-page') },
  { pattern: '/instructor/import', title: 'Import questions', load: () => import('@/app/pages/instructor-import-page') },
  { pattern: '/instructor/cohorts/:id/assignments/new', title: 'New assignment', load: () => import('@/app/pages/instructor-new-assignment-page') },
  { pattern: '/instructor/assignments/:id', title: 'Assignment results', load: () => import('@/app/pages/instructor-assignment-page') },
  { pattern: '/instructor/cohorts/:id/live/new', title: 'Start a live session', load: () => import('@/app/pages/instructor-new-live-session-page') },
  { pattern: '/live/:id/host', title: 'Live session — host', load: () => import('@/app/pages/live-host-page') },
  { pattern: '/live/:id', title: 'Live session', load: () => import('@/app/pages/live-page') },
];

setSignedInRoutes(signedInRoutes);
