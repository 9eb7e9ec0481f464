import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { AssessmentPage } from './assessments/AssessmentPage';
import { AssessmentsPage } from './assessments/AssessmentsPage';
import { AuditPage } from './audit/AuditPage';
import { AwardsPage } from './awards/AwardsPage';
import { CommendationListPage } from './awards/CommendationListPage';
import { NOMINATION_WRITERS } from './awards/labels';
import { NominationDetailPage, NominationNewPage } from './awards/NominationPage';
import { NominationPrintPage } from './awards/NominationPrint';
import { ApiBridge } from './auth/ApiBridge';
import { AuthProvider } from './auth/AuthContext';
import { LoginPage } from './auth/LoginPage';
import { PasswordPage } from './auth/PasswordPage';
import { ReauthProvider } from './auth/ReauthProvider';
import { RequireAuth, RequireRole } from './auth/RequireAuth';
import { SessionsPage } from './auth/SessionsPage';
import { CampaignDetailPage } from './campaigns/CampaignDetailPage';
import { CampaignsPage } from './campaigns/CampaignsPage';
import { VerifyPage } from './documents/VerifyPage';
import { DistrictMoneyPage } from './fees/DistrictMoneyPage';
import { FeeSheetPrintPage } from './fees/FeeSheetPrint';
import { FeesPage } from './fees/FeesPage';
import { HomePage } from './home/HomePage';
import { AppLayout } from './layout/AppLayout';
import { CITY_ADMIN_ONLY, USER_ADMIN_ROLES } from './layout/menu';
import { NotFound } from './layout/NotFound';
import { OrgsPage } from './orgs/OrgsPage';
import { ImportPage } from './registration/ImportPage';
import { RegistrationDetailPage } from './registration/RegistrationDetailPage';
import { RegistrationEditPage, RegistrationNewPage } from './registration/RegistrationFormPage';
import { RegistrationsPage } from './registration/RegistrationsPage';
import { DetailTablesPage } from './statistics/DetailTablesPage';
import { ReportsPage } from './statistics/ReportsPage';
import { StatisticsPage } from './statistics/StatisticsPage';
import { WorkStatisticsPage } from './statistics/WorkStatisticsPage';
import { REGISTRATION_WRITERS } from './registration/labels';
import { UsersPage } from './users/UsersPage';

dayjs.locale('zh-cn');

export function App() {
  return (
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }}>
      <AntApp>
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
                      <FeeSheetPrintPage />
                    </RequireAuth>
                  }
                />
                <Route
                  path="/awards/nominations/:id/print"
                  element={
                    <RequireAuth>
                      <NominationPrintPage />
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
                  <Route path="campaigns" element={<CampaignsPage />} />
                  <Route path="campaigns/:id" element={<CampaignDetailPage />} />
                  <Route path="assessments" element={<AssessmentsPage />} />
                  <Route path="assessments/:campaignId/:orgUnitId" element={<AssessmentPage />} />
                  <Route path="fees" element={<FeesPage />} />
                  <Route path="fees/:campaignId/:orgUnitId" element={<DistrictMoneyPage />} />
                  <Route path="awards" element={<AwardsPage />} />
                  <Route
                    path="awards/nominations/new"
                    element={
                      <RequireRole roles={NOMINATION_WRITERS}>
                        <NominationNewPage />
                      </RequireRole>
                    }
                  />
                  <Route path="awards/nominations/:id" element={<NominationDetailPage />} />
                  <Route path="awards/commendation-list" element={<CommendationListPage />} />
                  <Route
                    path="audit"
                    element={
                      <RequireRole roles={CITY_ADMIN_ONLY}>
                        <AuditPage />
                      </RequireRole>
                    }
                  />
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Routes>
            </ReauthProvider>
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
