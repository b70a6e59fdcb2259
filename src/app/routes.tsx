/**
 * The route table. Every page is its own chunk (React.lazy), so the first route ships only what it needs;
 * review, leaderboard and instructor code load when used.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface RouteDef {
  pattern: string;
  /** Title for document.title and the route's landmark. */
  title: string;
  component: LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;
}

export const signedInRoutes: RouteDef[] = [
  { pattern: '/', title: 'Home', component: lazy(() => import('@/app/pages/home-page')) },
  { pattern: '/blocks/new', title: 'Create a block', component: lazy(() => import('@/app/pages/new-block-page')) },
  { pattern: '/blocks/:id', title: 'Block', component: lazy(() => import('@/app/pages/player-page')) },
  { pattern: '/blocks/:id/review', title: 'Review', component: lazy(() => import('@/app/pages/review-page')) },
  { pattern: '/settings', title: 'Settings', component: lazy(() => import('@/app/pages/settings-page')) },
  { pattern: '/leaderboard', title: 'Leaderboard', component: lazy(() => import('@/app/pages/leaderboard-page')) },
  { pattern: '/instructor', title: 'Instructor', component: lazy(() => import('@/app/pages/instructor-page')) },
  { pattern: '/instructor/cohorts/:id', title: 'Cohort', component: lazy(() => import('@/app/pages/instructor-cohort-page')) },
  { pattern: '/instructor/cohorts/:id/items', title: 'Item statistics', component: lazy(() => import('@/app/pages/instructor-items-page')) },
  { pattern: '/instructor/questions', title: 'Questions', component: lazy(() => import('@/app/pages/instructor-questions-page')) },
  { pattern: '/instructor/questions/:id', title: 'Question editor', component: lazy(() => import('@/app/pages/instructor-question-page')) },
  { pattern: '/instructor/import', title: 'Import questions', component: lazy(() => import('@/app/pages/instructor-import-page')) },
];

export const signedOutRoutes: RouteDef[] = [
  { pattern: '/signup', title: 'Create your account', component: lazy(() => import('@/app/pages/sign-up-page')) },
  { pattern: '/signin', title: 'Sign in', component: lazy(() => import('@/app/pages/sign-in-page')) },
];
