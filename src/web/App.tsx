import { AntdRoot } from './common/AntdRoot';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { ApiBridge } from './auth/ApiBridge';
import { AuthProvider } from './auth/AuthContext';
import { LoginPage } from './auth/LoginPage';
import { ReauthProvider } from './auth/ReauthProvider';
import { RequireAuth, RequireRole } from './auth/RequireAuth';
import { ASSESSMENT_ROLES, CITY_ADMIN_ONLY, FIELD_ASSIGNERS, NOMINATION_WRITERS, REGISTRATION_WRITERS, USER_ADMIN_ROLES } from './auth/roleGroups';
import { lazyPage } from './layout/lazyPage';

// Only the login page is in the first bundle; every other page (and what only it uses: charts,
// tables, the entry form) is fetched when first opened.
const AppLayout = lazyPage(() => import('./layout/AppLayout'), 'AppLayout');
const HomePage = lazyPage(() => import('./home/HomePage'), 'HomePage');
const NotFound = lazyPage(() => import('./layout/NotFound'), 'NotFound');
const PasswordPage = lazyPage(() => import('./auth/PasswordPage'), 'PasswordPage');
const SessionsPage = lazyPage(() => import('./auth/SessionsPage'), 'SessionsPage');
const VerifyPage = lazyPage(() => import('./documents/VerifyPage'), 'VerifyPage');
const OrgsPage = lazyPage(() => import('./orgs/OrgsPage'), 'OrgsPage');
const RegistrationsPage = lazyPage(() => import('./registration/RegistrationsPage'), 'RegistrationsPage');
const RegistrationNewPage = lazyPage(() => import('./registration/RegistrationFormPage'), 'RegistrationNewPage');
const RegistrationEditPage = lazyPage(() => import('./registration/RegistrationFormPage'), 'RegistrationEditPage');
const RegistrationDetailPage = lazyPage(() => import('./registration/RegistrationDetailPage'), 'RegistrationDetailPage');
const ImportPage = lazyPage(() => import('./registration/ImportPage'), 'ImportPage');
const RegistrationPrintPage = lazyPage(() => import('./registration/RegistrationPrint'), 'RegistrationPrintPage');
const BlankRegistrationPrintPage = lazyPage(() => import('./registration/RegistrationPrint'), 'BlankRegistrationPrintPage');
const StatisticsPage = lazyPage(() => import('./statistics/StatisticsPage'), 'StatisticsPage');
const WorkStatisticsPage = lazyPage(() => import('./statistics/WorkStatisticsPage'), 'WorkStatisticsPage');
const DetailTablesPage = lazyPage(() => import('./statistics/DetailTablesPage'), 'DetailTablesPage');
const ReportsPage = lazyPage(() => import('./statistics/ReportsPage'), 'ReportsPage');
const UsersPage = lazyPage(() => import('./users/UsersPage'), 'UsersPage');
const FieldAssignmentsPage = lazyPage(() => import('./field/FieldAssignmentsPage'), 'FieldAssignmentsPage');
const CampaignsPage = lazyPage(() => import('./campaigns/CampaignsPage'), 'CampaignsPage');
const CampaignDetailPage = lazyPage(() => import('./campaigns/CampaignDetailPage'), 'CampaignDetailPage');
const AssessmentsPage = lazyPage(() => import('./assessments/AssessmentsPage'), 'AssessmentsPage');
const AssessmentPage = lazyPage(() => import('./assessments/AssessmentPage'), 'AssessmentPage');
const FeesPage = lazyPage(() => import('./fees/FeesPage'), 'FeesPage');
const DistrictMoneyPage = lazyPage(() => import('./fees/DistrictMoneyPage'), 'DistrictMoneyPage');
const FeeSheetPrintPage = lazyPage(() => import('./fees/FeeSheetPrint'), 'FeeSheetPrintPage');
const AwardsPage = lazyPage(() => import('./awards/AwardsPage'), 'AwardsPage');
const NominationNewPage = lazyPage(() => import('./awards/NominationPage'), 'NominationNewPage');
const NominationDetailPage = lazyPage(() => import('./awards/NominationPage'), 'NominationDetailPage');
const NominationPrintPage = lazyPage(() => import('./awards/NominationPrint'), 'NominationPrintPage');
const CommendationListPage = lazyPage(() => import('./awards/CommendationListPage'), 'CommendationListPage');
const AuditPage = lazyPage(() => import('./audit/AuditPage'), 'AuditPage');
const HelpPage = lazyPage(() => import('./help/HelpPage'), 'HelpPage');

export function App() {
  return (
    <AntdRoot>
      <BrowserRouter>
        <AuthProvider>
          <ReauthProvider>
            <ApiBridge />
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/verify/:docNumber" element={<VerifyPage />} />
              <Route
                path="/fees/sheets/:id/print"
                element={
                  <RequireAuth>
                    <RequireRole roles={ASSESSMENT_ROLES}>
                      <FeeSheetPrintPage />
                    </RequireRole>
                  </RequireAuth>
                }
              />
              <Route
                path="/awards/nominations/:id/print"
                element={
                  <RequireAuth>
                    <RequireRole roles={ASSESSMENT_ROLES}>
                      <NominationPrintPage />
                    </RequireRole>
                  </RequireAuth>
                }
              />
              <Route
                path="/registrations/:id/print"
                element={
                  <RequireAuth>
                    <RegistrationPrintPage />
                  </RequireAuth>
                }
              />
              <Route
                path="/registrations/form/blank"
                element={
                  <RequireAuth>
                    <RequireRole roles={REGISTRATION_WRITERS}>
                      <BlankRegistrationPrintPage />
                    </RequireRole>
                  </RequireAuth>
                }
              />
              <Route
                element={
                  <RequireAuth>
                    <AppLayout />
                  </RequireAuth>
                }
              >
                <Route index element={<HomePage />} />
                <Route path="password" element={<PasswordPage />} />
                <Route path="sessions" element={<SessionsPage />} />
                <Route path="orgs" element={<OrgsPage />} />
                <Route path="registrations" element={<RegistrationsPage />} />
                <Route
                  path="registrations/new"
                  element={
                    <RequireRole roles={REGISTRATION_WRITERS}>
                      <RegistrationNewPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="registrations/import"
                  element={
                    <RequireRole roles={REGISTRATION_WRITERS}>
                      <ImportPage />
                    </RequireRole>
                  }
                />
                <Route path="registrations/:id" element={<RegistrationDetailPage />} />
                <Route
                  path="registrations/:id/edit"
                  element={
                    <RequireRole roles={REGISTRATION_WRITERS}>
                      <RegistrationEditPage />
                    </RequireRole>
                  }
                />
                <Route path="statistics" element={<StatisticsPage />} />
                <Route path="statistics/work" element={<WorkStatisticsPage />} />
                <Route path="statistics/detail-tables" element={<DetailTablesPage />} />
                <Route path="statistics/reports" element={<ReportsPage />} />
                <Route
                  path="users"
                  element={
                    <RequireRole roles={USER_ADMIN_ROLES}>
                      <UsersPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="field/assignments"
                  element={
                    <RequireRole roles={FIELD_ASSIGNERS}>
                      <FieldAssignmentsPage />
                    </RequireRole>
                  }
                />
                <Route path="campaigns" element={<RequireRole roles={ASSESSMENT_ROLES}><CampaignsPage /></RequireRole>} />
                <Route path="campaigns/:id" element={<RequireRole roles={ASSESSMENT_ROLES}><CampaignDetailPage /></RequireRole>} />
                <Route path="assessments" element={<RequireRole roles={ASSESSMENT_ROLES}><AssessmentsPage /></RequireRole>} />
                <Route path="assessments/:campaignId/:orgUnitId" element={<RequireRole roles={ASSESSMENT_ROLES}><AssessmentPage /></RequireRole>} />
                <Route path="fees" element={<RequireRole roles={ASSESSMENT_ROLES}><FeesPage /></RequireRole>} />
                <Route path="fees/:campaignId/:orgUnitId" element={<RequireRole roles={ASSESSMENT_ROLES}><DistrictMoneyPage /></RequireRole>} />
                <Route path="awards" element={<RequireRole roles={ASSESSMENT_ROLES}><AwardsPage /></RequireRole>} />
                <Route
                  path="awards/nominations/new"
                  element={
                    <RequireRole roles={NOMINATION_WRITERS}>
                      <NominationNewPage />
                    </RequireRole>
                  }
                />
                <Route path="awards/nominations/:id" element={<RequireRole roles={ASSESSMENT_ROLES}><NominationDetailPage /></RequireRole>} />
                <Route path="awards/commendation-list" element={<RequireRole roles={ASSESSMENT_ROLES}><CommendationListPage /></RequireRole>} />
                <Route
                  path="audit"
                  element={
                    <RequireRole roles={CITY_ADMIN_ONLY}>
                      <AuditPage />
                    </RequireRole>
                  }
                />
                <Route path="help" element={<HelpPage />} />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </ReauthProvider>
        </AuthProvider>
      </BrowserRouter>
    </AntdRoot>
  );
}
