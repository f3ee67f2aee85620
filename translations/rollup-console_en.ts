<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>BackfillCommand</name>
    <message numerus="yes">
        <source>note: %n day(s) were also written by another session while this backfill ran (Chatwoot&apos;s live path) and may differ from their events: %1; check them with: rollup-console verify --account %2 --from %3 --to %4 --only-mismatches</source>
        <translation>
            <numerusform>note: %n day was also written by another session while this backfill ran (Chatwoot&apos;s live path) and may differ from its events: %1; check it with: rollup-console verify --account %2 --from %3 --to %4 --only-mismatches</numerusform>
            <numerusform>note: %n days were also written by another session while this backfill ran (Chatwoot&apos;s live path) and may differ from their events: %1; check them with: rollup-console verify --account %2 --from %3 --to %4 --only-mismatches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BackfillEngine</name>
    <message numerus="yes">
        <source>, %n chunk(s) ran again after colliding with live writes</source>
        <translation>
            <numerusform>, %n chunk ran again after colliding with live writes</numerusform>
            <numerusform>, %n chunks ran again after colliding with live writes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FleetCommand</name>
    <message numerus="yes">
        <source>Backfill %n account(s), %1 days in all? [y/N] </source>
        <translation>
            <numerusform>Backfill %n account, %1 days in all? [y/N] </numerusform>
            <numerusform>Backfill %n accounts, %1 days in all? [y/N] </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s), the longest range %1 days: pass --yes to confirm a fleet backfill of more than 20 accounts or %2 days</source>
        <translation>
            <numerusform>%n account, the longest range %1 days: pass --yes to confirm a fleet backfill of more than 20 accounts or %2 days</numerusform>
            <numerusform>%n accounts, the longest range %1 days: pass --yes to confirm a fleet backfill of more than 20 accounts or %2 days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s): %1 match, %2 differ, %3 skipped, %4 errors; %5 keys compared; %6 s; journal %7</source>
        <translation>
            <numerusform>%n account: %1 match, %2 differ, %3 skipped, %4 errors; %5 keys compared; %6 s; journal %7</numerusform>
            <numerusform>%n accounts: %1 match, %2 differ, %3 skipped, %4 errors; %5 keys compared; %6 s; journal %7</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>dry run: %n account(s) to backfill, %1 days in all; nothing written</source>
        <translation>
            <numerusform>dry run: %n account to backfill, %1 days in all; nothing written</numerusform>
            <numerusform>dry run: %n accounts to backfill, %1 days in all; nothing written</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s): %1 done, %2 skipped, %3 locked by another session, %4 failed, %5 not finished; %6 rows written; %7 s; journal %8</source>
        <translation>
            <numerusform>%n account: %1 done, %2 skipped, %3 locked by another session, %4 failed, %5 not finished; %6 rows written; %7 s; journal %8</numerusform>
            <numerusform>%n accounts: %1 done, %2 skipped, %3 locked by another session, %4 failed, %5 not finished; %6 rows written; %7 s; journal %8</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>workers busy %1 s of %2 s (duty cycle %3, %n worker(s))</source>
        <translation>
            <numerusform>workers busy %1 s of %2 s (duty cycle %3, %n worker)</numerusform>
            <numerusform>workers busy %1 s of %2 s (duty cycle %3, %n workers)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s) ran again after colliding with live writes (a row inserted meanwhile, a lost deadlock or serialization race); live_touched_days names the days to verify</source>
        <translation>
            <numerusform>%n chunk ran again after colliding with live writes (a row inserted meanwhile, a lost deadlock or serialization race); live_touched_days names the days to verify</numerusform>
            <numerusform>%n chunks ran again after colliding with live writes (a row inserted meanwhile, a lost deadlock or serialization race); live_touched_days names the days to verify</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VerifyCommand</name>
    <message numerus="yes">
        <source>note: %n stored rollup row(s) outside the range were not compared (dated %1 .. %2; today&apos;s excluded); --from/--to include them, and a backfill of those days clears rows without events</source>
        <translation>
            <numerusform>note: %n stored rollup row outside the range was not compared (dated %1 .. %2; today&apos;s excluded); --from/--to include it, and a backfill of those days clears rows without events</numerusform>
            <numerusform>note: %n stored rollup rows outside the range were not compared (dated %1 .. %2; today&apos;s excluded); --from/--to include them, and a backfill of those days clears rows without events</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VerifyJob</name>
    <message numerus="yes">
        <source>%n stored row(s) lie outside the account&apos;s event days (%1 .. %2); a backfill of those days clears them</source>
        <translation>
            <numerusform>%n stored row lies outside the account&apos;s event days (%1 .. %2); a backfill of that day clears it</numerusform>
            <numerusform>%n stored rows lie outside the account&apos;s event days (%1 .. %2); a backfill of those days clears them</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the last verify found %Ln difference(s)</source>
        <translation>
            <numerusform>the last verify found %Ln difference</numerusform>
            <numerusform>the last verify found %Ln differences</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::AccountsView</name>
    <message numerus="yes">
        <source>%n selected</source>
        <translation>
            <numerusform>%n selected</numerusform>
            <numerusform>%n selected</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::BackfillMonitor</name>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::BackfillPlanForm</name>
    <message numerus="yes">
        <source>Only days that differ in the last verify (%n day(s))</source>
        <translation>
            <numerusform>Only days that differ in the last verify (%n day)</numerusform>
            <numerusform>Only days that differ in the last verify (%n days)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Only the listed days (%n day(s))</source>
        <translation>
            <numerusform>Only the listed days (%n day)</numerusform>
            <numerusform>Only the listed days (%n days)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days is more than %1 days. Type the account id (%2) to confirm:</source>
        <translation>
            <numerusform>%n day is more than %1 days. Type the account id (%2) to confirm:</numerusform>
            <numerusform>%n days is more than %1 days. Type the account id (%2) to confirm:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::BackfillView</name>
    <message numerus="yes">
        <source>%1 … %2 (%n days)</source>
        <translation>
            <numerusform>%1 … %2 (%n day)</numerusform>
            <numerusform>%1 … %2 (%n days)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>selected: %n day(s)</source>
        <translation>
            <numerusform>selected: %n day</numerusform>
            <numerusform>selected: %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Resume (%n day(s) not processed)</source>
        <translation>
            <numerusform>&amp;Resume (%n day not processed)</numerusform>
            <numerusform>&amp;Resume (%n days not processed)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Retry failed days (%n day(s))</source>
        <translation>
            <numerusform>&amp;Retry failed days (%n day)</numerusform>
            <numerusform>&amp;Retry failed days (%n days)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>retrying %n day(s)</source>
        <translation>
            <numerusform>retrying %n day</numerusform>
            <numerusform>retrying %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Type the account id to confirm a range of more than %n days.</source>
        <translation>
            <numerusform>Type the account id to confirm a range of more than %n day.</numerusform>
            <numerusform>Type the account id to confirm a range of more than %n days.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Type the account id to confirm a range of more than %n days, then Start.</source>
        <translation>
            <numerusform>Type the account id to confirm a range of more than %n day, then Start.</numerusform>
            <numerusform>Type the account id to confirm a range of more than %n days, then Start.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) to rewrite; nothing has been written. Start writes them, one transaction per chunk of days.</source>
        <translation>
            <numerusform>%n day to rewrite; nothing has been written. Start writes it, in one transaction.</numerusform>
            <numerusform>%n days to rewrite; nothing has been written. Start writes them, one transaction per chunk of days.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>plan: account %1, %n day(s) selected, %2 … %3</source>
        <translation>
            <numerusform>plan: account %1, %n day selected, %2 … %3</numerusform>
            <numerusform>plan: account %1, %n days selected, %2 … %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>backfill of account %1 started: %n day(s), %2 … %3</source>
        <translation>
            <numerusform>backfill of account %1 started: %n day, %2 … %3</numerusform>
            <numerusform>backfill of account %1 started: %n days, %2 … %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled: %1; %n day(s) not processed.</source>
        <translation>
            <numerusform>Cancelled: %1; %n day not processed.</numerusform>
            <numerusform>Cancelled: %1; %n days not processed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::FleetModel</name>
    <message numerus="yes">
        <source>%1 of %2 keys match · %n differing day(s)</source>
        <translation>
            <numerusform>%1 of %2 keys match · %n differing day</numerusform>
            <numerusform>%1 of %2 keys match · %n differing days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n day(s) also written by another session: verify</source>
        <translation>
            <numerusform> · %n day also written by another session: verify</numerusform>
            <numerusform> · %n days also written by another session: verify</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::FleetView</name>
    <message numerus="yes">
        <source>Verify %n account(s): stored rollups against raw events, each over its whole history</source>
        <translation>
            <numerusform>Verify %n account: stored rollups against raw events, over its whole history</numerusform>
            <numerusform>Verify %n accounts: stored rollups against raw events, each over its whole history</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Backfill the differing days of %n account(s)</source>
        <translation>
            <numerusform>Backfill the differing days of %n account</numerusform>
            <numerusform>Backfill the differing days of %n accounts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Backfill %n account(s) over their whole history</source>
        <translation>
            <numerusform>Backfill %n account over its whole history</numerusform>
            <numerusform>Backfill %n accounts over their whole history</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing to backfill: %n account(s) skipped (see the Note column).</source>
        <translation>
            <numerusform>Nothing to backfill: %n account skipped (see the Note column).</numerusform>
            <numerusform>Nothing to backfill: %n accounts skipped (see the Note column).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Running on %n connection(s)…</source>
        <translation>
            <numerusform>Running on %n connection…</numerusform>
            <numerusform>Running on %n connections…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n chunk(s) ran again after colliding with live writes</source>
        <translation>
            <numerusform> · %n chunk ran again after colliding with live writes</numerusform>
            <numerusform> · %n chunks ran again after colliding with live writes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln account(s) and %1 days is more than %2 accounts or %3 days. Type the number of accounts (%4) to confirm:</source>
        <translation>
            <numerusform>%Ln account and %1 days is more than %2 accounts or %3 days. Type the number of accounts (%4) to confirm:</numerusform>
            <numerusform>%Ln accounts and %1 days is more than %2 accounts or %3 days. Type the number of accounts (%4) to confirm:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Plan: %Ln account(s), %1 days to compare; only the days that differ are rewritten; %2 skipped. Nothing has been written yet.</source>
        <translation>
            <numerusform>Plan: %Ln account, %1 days to compare; only the days that differ are rewritten; %2 skipped. Nothing has been written yet.</numerusform>
            <numerusform>Plan: %Ln accounts, %1 days to compare; only the days that differ are rewritten; %2 skipped. Nothing has been written yet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Plan: %Ln account(s), %1 days; %2 skipped. Nothing has been written yet.</source>
        <translation>
            <numerusform>Plan: %Ln account, %1 days; %2 skipped. Nothing has been written yet.</numerusform>
            <numerusform>Plan: %Ln accounts, %1 days; %2 skipped. Nothing has been written yet.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::HistoryView</name>
    <message numerus="yes">
        <source>%n action(s) on account %1</source>
        <translation>
            <numerusform>%n action on account %1</numerusform>
            <numerusform>%n actions on account %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s)</source>
        <translation>
            <numerusform>%n action</numerusform>
            <numerusform>%n actions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::MainWindow</name>
    <message numerus="yes">
        <source>%n account(s)</source>
        <translation>
            <numerusform>%n account</numerusform>
            <numerusform>%n accounts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::RawEventsDialog</name>
    <message numerus="yes">
        <source>%n event(s) in the window.</source>
        <translation>
            <numerusform>%n event in the window.</numerusform>
            <numerusform>%n events in the window.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::ReadPathControl</name>
    <message numerus="yes">
        <source>The rollups differ from the raw events on %n day(s): those reports are wrong.</source>
        <translation>
            <numerusform>The rollups differ from the raw events on %n day: its reports are wrong.</numerusform>
            <numerusform>The rollups differ from the raw events on %n days: those reports are wrong.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s)</source>
        <translation>
            <numerusform>%Ln key</numerusform>
            <numerusform>%Ln keys</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::VerifyChart</name>
    <message numerus="yes">
        <source>%1 · %2 · %n differing day(s)</source>
        <translation>
            <numerusform>%1 · %2 · %n differing day</numerusform>
            <numerusform>%1 · %2 · %n differing days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::VerifyHeatmapPane</name>
    <message numerus="yes">
        <source>%1: %n key(s)</source>
        <translation>
            <numerusform>%1: %n key</numerusform>
            <numerusform>%1: %n keys</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n match</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mismatch</source>
        <translation>
            <numerusform>%n mismatch</numerusform>
            <numerusform>%n mismatches</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n missing</source>
        <translation>
            <numerusform>%n missing</numerusform>
            <numerusform>%n missing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n extra</source>
        <translation>
            <numerusform>%n extra</numerusform>
            <numerusform>%n extra</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::VerifySummary</name>
    <message numerus="yes">
        <source>%Ln %1</source>
        <comment>a count and a status name: 3 mismatch</comment>
        <translation>
            <numerusform>%Ln %1</numerusform>
            <numerusform>%Ln %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 .. %2 (%n day(s), %3)</source>
        <translation>
            <numerusform>%1 .. %2 (%n day, %3)</numerusform>
            <numerusform>%1 .. %2 (%n days, %3)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%Ln&lt;/b&gt; keys compared</source>
        <translation>
            <numerusform>&lt;b&gt;%Ln&lt;/b&gt; key compared</numerusform>
            <numerusform>&lt;b&gt;%Ln&lt;/b&gt; keys compared</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln day(s) with differences</source>
        <translation>
            <numerusform>%Ln day with differences</numerusform>
            <numerusform>%Ln days with differences</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n stored row(s) outside the range, dated %1 .. %2, were not compared.</source>
        <translation>
            <numerusform>%n stored row outside the range, dated %1 .. %2, was not compared.</numerusform>
            <numerusform>%n stored rows outside the range, dated %1 .. %2, were not compared.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Re-backfill those %n day(s)</source>
        <translation>
            <numerusform>Re-backfill that day</numerusform>
            <numerusform>Re-backfill those %n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::VerifyTablePane</name>
    <message numerus="yes">
        <source>Re-backfill &amp;all %n differing day(s)</source>
        <translation>
            <numerusform>Re-backfill the &amp;differing day</numerusform>
            <numerusform>Re-backfill &amp;all %n differing days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln key(s) shown</source>
        <translation>
            <numerusform>%1 of %Ln key shown</numerusform>
            <numerusform>%1 of %Ln keys shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exporting %n row(s)…</source>
        <translation>
            <numerusform>Exporting %n row…</numerusform>
            <numerusform>Exporting %n rows…</numerusform>
        </translation>
    </message>
</context>
</TS>
