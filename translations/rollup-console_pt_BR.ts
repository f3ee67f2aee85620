<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>AccountAudit</name>
    <message>
        <source>looking for Chatwoot&apos;s audits table</source>
        <translation>procurando a tabela audits do Chatwoot</translation>
    </message>
    <message>
        <source>starting the account write</source>
        <translation>iniciando a gravação da conta</translation>
    </message>
    <message>
        <source>writing the audit row of account %1</source>
        <translation>gravando a linha de auditoria da conta %1</translation>
    </message>
</context>
<context>
    <name>AccountRepository</name>
    <message>
        <source>listing accounts</source>
        <translation>listando as contas</translation>
    </message>
    <message>
        <source>reading account %1</source>
        <translation>lendo a conta %1</translation>
    </message>
    <message>
        <source>counting events</source>
        <translation>contando os eventos</translation>
    </message>
    <message>
        <source>reading rollup coverage</source>
        <translation>lendo a cobertura dos rollups</translation>
    </message>
    <message>
        <source>reading account statistics</source>
        <translation>lendo as estatísticas das contas</translation>
    </message>
    <message>
        <source>counting events per account</source>
        <translation>contando os eventos por conta</translation>
    </message>
    <message>
        <source>locking account %1</source>
        <translation>bloqueando a conta %1</translation>
    </message>
    <message>
        <source>writing reporting_timezone of account %1</source>
        <translation>gravando o reporting_timezone da conta %1</translation>
    </message>
    <message>
        <source>refusing to write &apos;%1&apos;: not an IANA zone id (%2)</source>
        <translation>gravação de &apos;%1&apos; recusada: não é um id de fuso IANA (%2)</translation>
    </message>
    <message>
        <source>reading agent names</source>
        <translation>lendo os nomes dos agentes</translation>
    </message>
    <message>
        <source>reading inbox names</source>
        <translation>lendo os nomes das caixas de entrada</translation>
    </message>
    <message>
        <source>reading the account&apos;s first and last event</source>
        <translation>lendo o primeiro e o último evento da conta</translation>
    </message>
    <message>
        <source>account %1: no row updated, expected 1</source>
        <translation>conta %1: nenhuma linha atualizada, esperava-se 1</translation>
    </message>
</context>
<context>
    <name>AccountSelection</name>
    <message>
        <source>the account list is empty</source>
        <translation>a lista de contas está vazia</translation>
    </message>
    <message>
        <source>&apos;%1&apos; in the account list is not an id or a range like 20-30</source>
        <translation>&apos;%1&apos; na lista de contas não é um id nem um intervalo como 20-30</translation>
    </message>
    <message>
        <source>&apos;%1&apos; in the account list is out of range (ids are 1 .. 2147483647)</source>
        <translation>&apos;%1&apos; na lista de contas está fora do intervalo (os ids vão de 1 a 2147483647)</translation>
    </message>
    <message>
        <source>the range &apos;%1&apos; in the account list ends before it starts</source>
        <translation>o intervalo &apos;%1&apos; na lista de contas termina antes de começar</translation>
    </message>
    <message>
        <source>the account list names more than %1 ids</source>
        <translation>a lista de contas tem mais de %1 ids</translation>
    </message>
</context>
<context>
    <name>AccountsCommand</name>
    <message>
        <source>Lists the accounts with their reporting_timezone state, rollup rows and dates, and first/last event day (local to the account&apos;s zone; the UTC date with a &quot; UTC&quot; suffix when the zone is not usable).</source>
        <translation>Lista as contas com o estado do reporting_timezone, as linhas e datas de rollup e o dia do primeiro/último evento (no fuso da conta; a data UTC com o sufixo &quot; UTC&quot; quando o fuso não é utilizável).</translation>
    </message>
    <message>
        <source>table (default), csv or json</source>
        <translation>table (padrão), csv ou json</translation>
    </message>
    <message>
        <source>--format must be table, csv or json, not &apos;%1&apos;</source>
        <translation>--format deve ser table, csv ou json, não &apos;%1&apos;</translation>
    </message>
</context>
<context>
    <name>BackfillCommand</name>
    <message>
        <source>Rebuilds reporting_events_rollups for one account and a range of local days, exactly like Chatwoot&apos;s BackfillService (every day: delete all its rows, insert the recomputed ones, in one transaction per chunk).</source>
        <translation>Reconstrói reporting_events_rollups de uma conta num intervalo de dias locais, exatamente como o BackfillService do Chatwoot (em cada dia: apaga todas as suas linhas e insere as recalculadas, numa transação por bloco).</translation>
    </message>
    <message>
        <source>allow today&apos;s (still open) local day; races Chatwoot&apos;s live upserts</source>
        <translation>permite o dia local de hoje (ainda aberto); concorre com os upserts ao vivo do Chatwoot</translation>
    </message>
    <message>
        <source>print the plan and write nothing</source>
        <translation>mostra o plano e não grava nada</translation>
    </message>
    <message>
        <source>do not ask for confirmation on a terminal</source>
        <translation>não pede confirmação num terminal</translation>
    </message>
    <message>
        <source>dry run: nothing written</source>
        <translation>simulação: nada foi gravado</translation>
    </message>
    <message>
        <source>the range has %1 days, more than %2; pass --yes to confirm it</source>
        <translation>o intervalo tem %1 dias, mais de %2; passe --yes para confirmá-lo</translation>
    </message>
    <message>
        <source>nothing to do: %1</source>
        <translation>nada a fazer: %1</translation>
    </message>
    <message>
        <source>note: %1 days is more than %2 days; this can take a while</source>
        <translation>nota: %1 dias são mais de %2 dias; isto pode demorar</translation>
    </message>
    <message>
        <source>warning: today&apos;s local day is included; Chatwoot&apos;s live upserts for today race this backfill</source>
        <translation>aviso: o dia local de hoje está incluído; os upserts ao vivo do Chatwoot para hoje concorrem com esta reconstrução</translation>
    </message>
    <message>
        <source>Backfill %1 days of account %2? [y/N] </source>
        <translation>Reconstruir %1 dias da conta %2? [y/N] </translation>
    </message>
    <message>
        <source>aborted; nothing written</source>
        <translation>interrompido; nada foi gravado</translation>
    </message>
    <message>
        <source>%1/%2 days  %3  events %4  rows %5  %6 s  %7 days/s  ETA %8 s</source>
        <translation>%1/%2 dias  %3  eventos %4  linhas %5  %6 s  %7 dias/s  faltam %8 s</translation>
    </message>
    <message numerus="yes">
        <source>note: %n day(s) were also written by another session while this backfill ran (Chatwoot&apos;s live path) and may differ from their events: %1; check them with: rollup-console verify --account %2 --from %3 --to %4 --only-mismatches</source>
        <translation>
            <numerusform>nota: %n dia também foi gravado por outra sessão enquanto esta reconstrução rodava (o caminho ao vivo do Chatwoot) e pode divergir dos seus eventos: %1; confira com: rollup-console verify --account %2 --from %3 --to %4 --only-mismatches</numerusform>
            <numerusform>nota: %n dias também foram gravados por outra sessão enquanto esta reconstrução rodava (o caminho ao vivo do Chatwoot) e podem divergir dos seus eventos: %1; confira com: rollup-console verify --account %2 --from %3 --to %4 --only-mismatches</numerusform>
        </translation>
    </message>
    <message>
        <source>backfill complete: %1</source>
        <translation>reconstrução concluída: %1</translation>
    </message>
    <message>
        <source>cancelled: %1; %2 days not processed%3</source>
        <translation>cancelada: %1; %2 dias não processados%3</translation>
    </message>
    <message>
        <source> (from %1)</source>
        <translation> (a partir de %1)</translation>
    </message>
    <message>
        <source>rollup-console backfill: failed at %1</source>
        <translation>rollup-console backfill: falhou em %1</translation>
    </message>
    <message>
        <source>done before the failure: %1; those days keep their new rows, the failed days keep their old rows</source>
        <translation>feito antes da falha: %1; esses dias ficam com as linhas novas, os dias que falharam ficam com as antigas</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>aviso: %1</translation>
    </message>
</context>
<context>
    <name>BackfillEngine</name>
    <message>
        <source>%1 of %2 days, %3 rows deleted, %4 rows written, %5 events read, %6 s, %7 s/day</source>
        <translation>%1 de %2 dias, %3 linhas apagadas, %4 linhas gravadas, %5 eventos lidos, %6 s, %7 s/dia</translation>
    </message>
    <message numerus="yes">
        <source>, %n chunk(s) ran again after colliding with live writes</source>
        <translation>
            <numerusform>, %n bloco executado de novo após colidir com escritas ao vivo</numerusform>
            <numerusform>, %n blocos executados de novo após colidir com escritas ao vivo</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BackfillJob</name>
    <message>
        <source>no days listed</source>
        <translation>nenhum dia listado</translation>
    </message>
    <message>
        <source>every day of the range already has rollup rows</source>
        <translation>todos os dias do intervalo já têm linhas de rollup</translation>
    </message>
    <message>
        <source>no verify differences known for this account</source>
        <translation>não há diferenças de verificação conhecidas para esta conta</translation>
    </message>
    <message>
        <source>no differing day falls in the range</source>
        <translation>nenhum dia com diferenças cai no intervalo</translation>
    </message>
    <message>
        <source>account %1&apos;s reporting_timezone is %2 now, not %3 as when the backfill was planned: plan it again</source>
        <translation>o reporting_timezone da conta %1 agora é %2, não %3 como quando a reconstrução foi planejada: planeje-a de novo</translation>
    </message>
</context>
<context>
    <name>BackfillPlan</name>
    <message>
        <source>account:        %1 (%2)</source>
        <translation>conta:                %1 (%2)</translation>
    </message>
    <message>
        <source>timezone:       stored &apos;%1&apos;, resolved %2</source>
        <translation>fuso horário:         gravado &apos;%1&apos;, resolvido %2</translation>
    </message>
    <message>
        <source>range:          none (%1)</source>
        <translation>intervalo:            nenhum (%1)</translation>
    </message>
    <message>
        <source>range:          %1 .. %2 (%3 days%4)</source>
        <translation>intervalo:            %1 .. %2 (%3 dias%4)</translation>
    </message>
    <message>
        <source> selected of %1</source>
        <translation> selecionados de %1</translation>
    </message>
    <message>
        <source>UTC window:     %1 .. %2</source>
        <translation>janela UTC:           %1 .. %2</translation>
    </message>
    <message>
        <source>first event:    %1</source>
        <translation>primeiro evento:      %1</translation>
    </message>
    <message>
        <source>last event:     %1</source>
        <translation>último evento:        %1</translation>
    </message>
    <message>
        <source>events in range: %1</source>
        <translation>eventos no intervalo: %1</translation>
    </message>
    <message>
        <source>warning:        the range includes today: Chatwoot&apos;s live upserts for today race the backfill</source>
        <translation>aviso:                o intervalo inclui hoje: os upserts ao vivo do Chatwoot para hoje concorrem com a reconstrução</translation>
    </message>
    <message>
        <source>note:           the range is longer than %1 days</source>
        <translation>nota:                 o intervalo tem mais de %1 dias</translation>
    </message>
</context>
<context>
    <name>BackfillPlanForm</name>
    <message>
        <source>Plan</source>
        <translation>Plano</translation>
    </message>
    <message>
        <source>Account:</source>
        <translation>Conta:</translation>
    </message>
    <message>
        <source>Select an account in the Accounts tab, then open this tab (or press Ctrl+B there).</source>
        <translation>Selecione uma conta na aba Contas e abra esta aba (ou pressione Ctrl+B lá).</translation>
    </message>
    <message>
        <source>Time zone:</source>
        <translation>Fuso horário:</translation>
    </message>
    <message>
        <source>Edit time zone…</source>
        <translation>Editar fuso horário…</translation>
    </message>
    <message>
        <source>Local days:</source>
        <translation>Dias locais:</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>First event&apos;s local date … yesterday in the account&apos;s zone</source>
        <translation>Data local do primeiro evento … ontem, no fuso da conta</translation>
    </message>
    <message>
        <source>Discovered range</source>
        <translation>Intervalo descoberto</translation>
    </message>
    <message>
        <source>Include today</source>
        <translation>Incluir hoje</translation>
    </message>
    <message>
        <source>Rewrite:</source>
        <translation>Regravar:</translation>
    </message>
    <message>
        <source>Show the plan; nothing is written</source>
        <translation>Mostra o plano; nada é gravado</translation>
    </message>
    <message>
        <source>&amp;Dry run</source>
        <translation>&amp;Simular</translation>
    </message>
    <message>
        <source>&amp;Start backfill</source>
        <translation>&amp;Iniciar reconstrução</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>Cancelar (Esc)</translation>
    </message>
    <message>
        <source>&amp;Retry failed days</source>
        <translation>&amp;Repetir os dias que falharam</translation>
    </message>
    <message>
        <source>&amp;Verify this range</source>
        <translation>&amp;Verificar este intervalo</translation>
    </message>
</context>
<context>
    <name>BackfillPlanner</name>
    <message>
        <source>account id %1 is out of range</source>
        <translation>o id de conta %1 está fora do intervalo</translation>
    </message>
    <message>
        <source>account %1 not found</source>
        <translation>conta %1 não encontrada</translation>
    </message>
    <message>
        <source>account %1 (%2) has no reporting_timezone: set one first with `rollup-console set-timezone --account %1 --timezone NAME`</source>
        <translation>a conta %1 (%2) não tem reporting_timezone: defina um antes com `rollup-console set-timezone --account %1 --timezone NOME`</translation>
    </message>
    <message>
        <source>account %1 (%2) has an invalid reporting_timezone: %3</source>
        <translation>a conta %1 (%2) tem um reporting_timezone inválido: %3</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>list accounts and their reporting_timezone state</source>
        <translation>lista as contas e o estado do seu reporting_timezone</translation>
    </message>
    <message>
        <source>set or clear an account&apos;s reporting_timezone (writes the IANA id)</source>
        <translation>define ou remove o reporting_timezone de uma conta (grava o id IANA)</translation>
    </message>
    <message>
        <source>rebuild rollups for an account and a range of local days</source>
        <translation>reconstrói os rollups de uma conta num intervalo de dias locais</translation>
    </message>
    <message>
        <source>compare stored rollups with the raw events</source>
        <translation>compara os rollups gravados com os eventos brutos</translation>
    </message>
    <message>
        <source>print the UTC windows of local days in a time zone</source>
        <translation>mostra as janelas UTC dos dias locais de um fuso horário</translation>
    </message>
    <message>
        <source>Usage: rollup-console [--demo [--reset]] [COMMAND [OPTIONS]]</source>
        <translation>Uso: rollup-console [--demo [--reset]] [COMANDO [OPÇÕES]]</translation>
    </message>
    <message>
        <source>Without a command the graphical console opens.</source>
        <translation>Sem um comando, abre-se o console gráfico.</translation>
    </message>
    <message>
        <source>Commands:</source>
        <translation>Comandos:</translation>
    </message>
    <message>
        <source>Global options:</source>
        <translation>Opções globais:</translation>
    </message>
    <message>
        <source>use the console&apos;s private demo PostgreSQL (started and stopped automatically)</source>
        <translation>usa o PostgreSQL de demonstração privado do console (iniciado e parado automaticamente)</translation>
    </message>
    <message>
        <source>with --demo: drop and re-seed the demo database</source>
        <translation>com --demo: apaga e recria os dados do banco de demonstração</translation>
    </message>
    <message>
        <source>print the version and exit</source>
        <translation>mostra a versão e sai</translation>
    </message>
    <message>
        <source>print this help; after a command, that command&apos;s help</source>
        <translation>mostra esta ajuda; depois de um comando, a ajuda desse comando</translation>
    </message>
    <message>
        <source>Exit codes:</source>
        <translation>Códigos de saída:</translation>
    </message>
    <message>
        <source>success; verify: every key matches</source>
        <translation>sucesso; verify: todas as chaves conferem</translation>
    </message>
    <message>
        <source>verify: differences found; backfill: failed part-way (finished days keep their new rows)</source>
        <translation>verify: há diferenças; backfill: falhou no meio (os dias concluídos ficam com as linhas novas)</translation>
    </message>
    <message>
        <source>usage error, refused input, connection or schema problem (nothing written)</source>
        <translation>erro de uso, entrada recusada, problema de conexão ou de esquema (nada é gravado)</translation>
    </message>
    <message>
        <source>cancelled by Ctrl-C or SIGTERM</source>
        <translation>cancelado por Ctrl-C ou SIGTERM</translation>
    </message>
    <message>
        <source>`rollup-console COMMAND --help` describes a command.</source>
        <translation>`rollup-console COMANDO --help` descreve um comando.</translation>
    </message>
    <message>
        <source>Example:</source>
        <translation>Exemplo:</translation>
    </message>
    <message>
        <source>rollup-console: --reset only goes with --demo</source>
        <translation>rollup-console: --reset só vale junto com --demo</translation>
    </message>
    <message>
        <source>rollup-console: unknown command &apos;%1&apos; (commands: %2)</source>
        <translation>rollup-console: comando desconhecido &apos;%1&apos; (comandos: %2)</translation>
    </message>
    <message>
        <source>print the console&apos;s own history of the changes it made to a database</source>
        <translation>mostra o histórico do próprio console das alterações que ele fez num banco de dados</translation>
    </message>
</context>
<context>
    <name>CliContext</name>
    <message>
        <source>postgres://user:pass@host:port/db?sslmode=... (else DATABASE_URL, Chatwoot&apos;s POSTGRES_*, libpq&apos;s PG* and ~/.pgpass)</source>
        <translation>postgres://usuario:senha@host:porta/banco?sslmode=... (senão DATABASE_URL, as POSTGRES_* do Chatwoot, as PG* da libpq e ~/.pgpass)</translation>
    </message>
    <message>
        <source>lock_timeout in milliseconds (default 10000)</source>
        <translation>lock_timeout em milissegundos (padrão 10000)</translation>
    </message>
    <message>
        <source>print this help</source>
        <translation>mostra esta ajuda</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos;</source>
        <translation>argumento inesperado &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Usage: rollup-console %1 [options]</source>
        <translation>Uso: rollup-console %1 [opções]</translation>
    </message>
    <message>
        <source>Options:</source>
        <translation>Opções:</translation>
    </message>
    <message>
        <source>Example:</source>
        <translation>Exemplo:</translation>
    </message>
    <message>
        <source>internal: no demo cluster</source>
        <translation>interno: não há cluster de demonstração</translation>
    </message>
    <message>
        <source>--lock-timeout &apos;%1&apos; is not a number of milliseconds</source>
        <translation>--lock-timeout &apos;%1&apos; não é um número de milissegundos</translation>
    </message>
    <message>
        <source>--statement-timeout &apos;%1&apos; is not a number of milliseconds</source>
        <translation>--statement-timeout &apos;%1&apos; não é um número de milissegundos</translation>
    </message>
    <message>
        <source>account id</source>
        <translation>id da conta</translation>
    </message>
    <message>
        <source>first local date (default: the first event&apos;s local date)</source>
        <translation>primeira data local (padrão: a data local do primeiro evento)</translation>
    </message>
    <message>
        <source>last local date (default: the last event&apos;s, at most yesterday)</source>
        <translation>última data local (padrão: a do último evento, no máximo ontem)</translation>
    </message>
    <message>
        <source>--account is required</source>
        <translation>--account é obrigatório</translation>
    </message>
    <message>
        <source>--account &apos;%1&apos; is not a positive account id</source>
        <translation>--account &apos;%1&apos; não é um id de conta positivo</translation>
    </message>
    <message>
        <source>--account %1 is out of range (1 .. 2147483647)</source>
        <translation>--account %1 está fora do intervalo (1 .. 2147483647)</translation>
    </message>
    <message>
        <source>a streaming replica for planning&apos;s and verify&apos;s reads, postgres://host:port (user, password, database and sslmode default to the primary&apos;s; else ROLLUP_REPLICA_URL); writes and locks stay on the primary</source>
        <translation>uma réplica por streaming para as leituras do planejamento e da verificação, postgres://host:port (usuário, senha, banco de dados e sslmode vêm por padrão do primário; senão ROLLUP_REPLICA_URL); gravações e bloqueios ficam no primário</translation>
    </message>
    <message>
        <source>statement_timeout in milliseconds for every statement, a backfill chunk&apos;s among them (default %1; 0: none)</source>
        <translation>statement_timeout em milissegundos para cada comando, inclusive os de um bloco da reconstrução (padrão %1; 0: nenhum)</translation>
    </message>
</context>
<context>
    <name>Connection</name>
    <message>
        <source>the Qt PostgreSQL driver (QPSQL, package libqt6sql6-psql) is not available</source>
        <translation>o driver PostgreSQL do Qt (QPSQL, pacote libqt6sql6-psql) não está disponível</translation>
    </message>
    <message>
        <source>cannot connect to %1</source>
        <translation>não foi possível conectar a %1</translation>
    </message>
    <message>
        <source>TLS %1</source>
        <translation>TLS %1</translation>
    </message>
    <message>
        <source>no TLS</source>
        <translation>sem TLS</translation>
    </message>
    <message>
        <source>no connection to the server (it was lost)</source>
        <translation>sem conexão com o servidor (ela foi perdida)</translation>
    </message>
    <message>
        <source>the statement failed without a message from the server</source>
        <translation>o comando falhou sem mensagem do servidor</translation>
    </message>
    <message>
        <source>canceling statement due to user request</source>
        <translation>comando cancelado a pedido do usuário</translation>
    </message>
    <message>
        <source>a prepared statement vanished between two statements</source>
        <translation>um comando preparado sumiu entre dois comandos</translation>
    </message>
    <message>
        <source>its transactions ran in different server sessions, pid %1 then %2</source>
        <translation>as suas transações rodaram em sessões diferentes do servidor, pid %1 e depois %2</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Connect to PostgreSQL</source>
        <translation>Conectar ao PostgreSQL</translation>
    </message>
    <message>
        <source>&amp;Profile:</source>
        <translation>&amp;Perfil:</translation>
    </message>
    <message>
        <source>Saved profiles (without their passwords); type a new name and press Save profile</source>
        <translation>Perfis salvos (sem as senhas); digite um nome novo e pressione Salvar perfil</translation>
    </message>
    <message>
        <source>Sa&amp;ve profile</source>
        <translation>Sal&amp;var perfil</translation>
    </message>
    <message>
        <source>Save host, port, database, user, SSL settings and read-only under this name (never the password)</source>
        <translation>Salva host, porta, banco, usuário, configurações de SSL e somente leitura com este nome (nunca a senha)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Excluir</translation>
    </message>
    <message>
        <source>From &amp;environment</source>
        <translation>Do &amp;ambiente</translation>
    </message>
    <message>
        <source>DATABASE_URL, then Chatwoot&apos;s POSTGRES_*, then libpq&apos;s PG* variables</source>
        <translation>DATABASE_URL, depois as variáveis POSTGRES_* do Chatwoot, depois as PG* da libpq</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>postgres://user@host:5432/chatwoot_production?sslmode=require</source>
        <translation>postgres://usuario@host:5432/chatwoot_production?sslmode=require</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Servidor:</translation>
    </message>
    <message>
        <source>localhost (libpq default)</source>
        <translation>localhost (padrão da libpq)</translation>
    </message>
    <message>
        <source>Po&amp;rt:</source>
        <translation>Po&amp;rta:</translation>
    </message>
    <message>
        <source>default (5432)</source>
        <translation>padrão (5432)</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Banco de dados:</translation>
    </message>
    <message>
        <source>chatwoot_production</source>
        <translation>chatwoot_production</translation>
    </message>
    <message>
        <source>U&amp;ser:</source>
        <translation>U&amp;suário:</translation>
    </message>
    <message>
        <source>the login name (libpq default)</source>
        <translation>o nome de login (padrão da libpq)</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Se&amp;nha:</translation>
    </message>
    <message>
        <source>not stored in profiles: type it, or leave empty for ~/.pgpass / PGPASSWORD</source>
        <translation>não fica nos perfis: digite-a, ou deixe vazio para usar ~/.pgpass / PGPASSWORD</translation>
    </message>
    <message>
        <source>SSL &amp;mode:</source>
        <translation>&amp;Modo SSL:</translation>
    </message>
    <message>
        <source>Root &amp;certificate:</source>
        <translation>&amp;Certificado raiz:</translation>
    </message>
    <message>
        <source>~/.postgresql/root.crt (libpq default)</source>
        <translation>~/.postgresql/root.crt (padrão da libpq)</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Procurar…</translation>
    </message>
    <message>
        <source>Read-&amp;only session (default_transaction_read_only = on: the server refuses every write)</source>
        <translation>Sessão somente &amp;leitura (default_transaction_read_only = on: o servidor recusa toda gravação)</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Testar conexão</translation>
    </message>
    <message>
        <source>Re&amp;plica:</source>
        <translation>Répl&amp;ica:</translation>
    </message>
    <message>
        <source>optional: postgres://replica-host:5432 — planning and verify read there; user, password, database, SSL as above</source>
        <translation>opcional: postgres://replica-host:5432 — o planejamento e a verificação leem ali; usuário, senha, banco de dados e SSL como acima</translation>
    </message>
    <message>
        <source>A streaming replica of this server for planning&apos;s and verify&apos;s reads; writes and the backfill&apos;s lock always go to the server above</source>
        <translation>Uma réplica por streaming deste servidor para as leituras do planejamento e da verificação; as gravações e o bloqueio da reconstrução sempre vão para o servidor acima</translation>
    </message>
    <message>
        <source>Statement &amp;timeout:</source>
        <translation>Tempo limite do c&amp;omando:</translation>
    </message>
    <message>
        <source>none</source>
        <translation>nenhum</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>statement_timeout: the server ends any statement (a backfill chunk&apos;s DELETE or INSERT among them) that runs longer</source>
        <translation>statement_timeout: o servidor encerra qualquer comando (inclusive o DELETE ou o INSERT de um bloco da reconstrução) que demore mais</translation>
    </message>
</context>
<context>
    <name>ConnectionSettings</name>
    <message>
        <source>invalid database URL: %1</source>
        <translation>URL de banco de dados inválida: %1</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>vazia</translation>
    </message>
    <message>
        <source>bad percent-encoding</source>
        <translation>codificação percentual inválida</translation>
    </message>
    <message>
        <source>scheme must be postgres:// or postgresql://, not &apos;%1&apos;</source>
        <translation>o esquema deve ser postgres:// ou postgresql://, não &apos;%1&apos;</translation>
    </message>
    <message>
        <source>port 0</source>
        <translation>porta 0</translation>
    </message>
    <message>
        <source>database name &apos;%1&apos; contains &apos;/&apos;</source>
        <translation>o nome do banco &apos;%1&apos; contém &apos;/&apos;</translation>
    </message>
    <message>
        <source>sslmode &apos;%1&apos; is not one of %2</source>
        <translation>sslmode &apos;%1&apos; não é um de %2</translation>
    </message>
    <message>
        <source>port &apos;%1&apos;</source>
        <translation>porta &apos;%1&apos;</translation>
    </message>
    <message>
        <source>unsupported parameter &apos;%1&apos;</source>
        <translation>parâmetro não suportado &apos;%1&apos;</translation>
    </message>
    <message>
        <source>POSTGRES_PORT &apos;%1&apos; is not a port number</source>
        <translation>POSTGRES_PORT &apos;%1&apos; não é um número de porta</translation>
    </message>
    <message>
        <source>(default user)</source>
        <translation>(usuário padrão)</translation>
    </message>
    <message>
        <source>no replica</source>
        <translation>sem réplica</translation>
    </message>
    <message>
        <source>replica: %1</source>
        <translation>réplica: %1</translation>
    </message>
    <message>
        <source>replica</source>
        <translation>réplica</translation>
    </message>
</context>
<context>
    <name>DayBounds</name>
    <message>
        <source>Prints the UTC window [start, end) of each local date, computed like ActiveSupport&apos;s tz.parse(date).</source>
        <translation>Mostra a janela UTC [início, fim) de cada data local, calculada como o tz.parse(date) do ActiveSupport.</translation>
    </message>
    <message>
        <source>IANA id or Rails time zone name (case-sensitive)</source>
        <translation>id IANA ou nome de fuso do Rails (diferencia maiúsculas)</translation>
    </message>
    <message>
        <source>first local date, YYYY-MM-DD</source>
        <translation>primeira data local, AAAA-MM-DD</translation>
    </message>
    <message>
        <source>last local date, YYYY-MM-DD (default: --from)</source>
        <translation>última data local, AAAA-MM-DD (padrão: --from)</translation>
    </message>
    <message>
        <source>csv (default) or table</source>
        <translation>csv (padrão) ou table</translation>
    </message>
    <message>
        <source>--timezone is required</source>
        <translation>--timezone é obrigatório</translation>
    </message>
    <message>
        <source>--from is required</source>
        <translation>--from é obrigatório</translation>
    </message>
    <message>
        <source>--format must be csv or table, not &apos;%1&apos;</source>
        <translation>--format deve ser csv ou table, não &apos;%1&apos;</translation>
    </message>
    <message>
        <source>unknown time zone: %1</source>
        <translation>fuso horário desconhecido: %1</translation>
    </message>
    <message>
        <source>blank name</source>
        <translation>nome em branco</translation>
    </message>
    <message>
        <source>--from %1 is after --to %2</source>
        <translation>--from %1 é posterior a --to %2</translation>
    </message>
    <message>
        <source>range of %1 days is too long (at most 200 years)</source>
        <translation>um intervalo de %1 dias é longo demais (no máximo 200 anos)</translation>
    </message>
</context>
<context>
    <name>DemoCluster</name>
    <message>
        <source>the demo start ended without a result</source>
        <translation>o início da demonstração terminou sem resultado</translation>
    </message>
    <message>
        <source>the demo start was cancelled</source>
        <translation>o início da demonstração foi cancelado</translation>
    </message>
    <message>
        <source>rollup-console (process %1)</source>
        <translation>rollup-console (processo %1)</translation>
    </message>
    <message>
        <source>the demo cluster in %1 is in use by %2</source>
        <translation>o cluster de demonstração em %1 está em uso por %2</translation>
    </message>
    <message>
        <source>Using the demo server of %1 on 127.0.0.1:%2…</source>
        <translation>Usando o servidor de demonstração de %1 em 127.0.0.1:%2…</translation>
    </message>
    <message>
        <source>%1 is still preparing the demo data; try again when it is ready</source>
        <translation>%1 ainda está preparando os dados de demonstração; tente de novo quando estiverem prontos</translation>
    </message>
    <message>
        <source>Ready: using the demo data of %1</source>
        <translation>Pronto: usando os dados de demonstração de %1</translation>
    </message>
    <message>
        <source>Creating the demo cluster in %1 (initdb)…</source>
        <translation>Criando o cluster de demonstração em %1 (initdb)…</translation>
    </message>
    <message>
        <source>Reusing the demo server running on 127.0.0.1:%1…</source>
        <translation>Reaproveitando o servidor de demonstração em execução em 127.0.0.1:%1…</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>no free loopback port</source>
        <translation>nenhuma porta de loopback livre</translation>
    </message>
    <message>
        <source>Starting the demo server on 127.0.0.1:%1…</source>
        <translation>Iniciando o servidor de demonstração em 127.0.0.1:%1…</translation>
    </message>
    <message>
        <source>the demo server did not start: %1 (see %2/server.log)</source>
        <translation>o servidor de demonstração não iniciou: %1 (veja %2/server.log)</translation>
    </message>
    <message>
        <source>Looking for the demo data…</source>
        <translation>Procurando os dados de demonstração…</translation>
    </message>
    <message>
        <source>Ready: reusing the demo data</source>
        <translation>Pronto: reaproveitando os dados de demonstração</translation>
    </message>
    <message>
        <source>Ready: demo data seeded in %1 s</source>
        <translation>Pronto: dados de demonstração criados em %1 s</translation>
    </message>
</context>
<context>
    <name>DemoDatabase</name>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>looking for the demo database</source>
        <translation>procurando o banco de demonstração</translation>
    </message>
    <message>
        <source>demo seed line %1: @each must follow an @step line</source>
        <translation>linha %1 do script de demonstração: @each deve vir depois de uma linha @step</translation>
    </message>
    <message>
        <source>demo seed line %1: a statement before the first @step</source>
        <translation>linha %1 do script de demonstração: um comando antes do primeiro @step</translation>
    </message>
    <message>
        <source>demo seed step &quot;%1&quot;: an @each step holds one statement</source>
        <translation>passo &quot;%1&quot; do script de demonstração: um passo @each contém um único comando</translation>
    </message>
    <message>
        <source>the demo seed script is missing from the program</source>
        <translation>o script dos dados de demonstração não está no programa</translation>
    </message>
    <message>
        <source>Creating the demo database and its schema…</source>
        <translation>Criando o banco de demonstração e o seu esquema…</translation>
    </message>
    <message>
        <source>dropping %1</source>
        <translation>apagando %1</translation>
    </message>
    <message>
        <source>creating %1</source>
        <translation>criando %1</translation>
    </message>
    <message>
        <source>creating the schema</source>
        <translation>criando o esquema</translation>
    </message>
    <message>
        <source>Seeding the demo data, step %1 of %2: %3</source>
        <translation>Criando os dados de demonstração, passo %1 de %2: %3</translation>
    </message>
    <message>
        <source>seeding the demo data (%1)</source>
        <translation>criando os dados de demonstração (%1)</translation>
    </message>
    <message>
        <source>%1: %2 (%3 of %4)…</source>
        <translation>%1: %2 (%3 de %4)…</translation>
    </message>
    <message>
        <source>Updating the planner statistics (ANALYZE)…</source>
        <translation>Atualizando as estatísticas do planejador (ANALYZE)…</translation>
    </message>
    <message>
        <source>analyzing the demo data</source>
        <translation>analisando os dados de demonstração</translation>
    </message>
    <message>
        <source>dropping the previous demo database</source>
        <translation>apagando o banco de demonstração anterior</translation>
    </message>
    <message>
        <source>putting the demo database in place</source>
        <translation>colocando o banco de demonstração no lugar</translation>
    </message>
    <message>
        <source>accounts, agents, inboxes and teams</source>
        <translation>contas, agentes, caixas de entrada e times</translation>
    </message>
    <message>
        <source>conversation plan</source>
        <translation>plano das conversas</translation>
    </message>
    <message>
        <source>conversations</source>
        <translation>conversas</translation>
    </message>
    <message>
        <source>event plan</source>
        <translation>plano dos eventos</translation>
    </message>
    <message>
        <source>raw events</source>
        <translation>eventos brutos</translation>
    </message>
    <message>
        <source>rollups</source>
        <translation>rollups</translation>
    </message>
    <message>
        <source>extra rollup rows</source>
        <translation>linhas de rollup extras</translation>
    </message>
</context>
<context>
    <name>DemoServer</name>
    <message>
        <source>PostgreSQL server binaries not found under /usr/lib/postgresql (install the postgresql package)</source>
        <translation>os programas do servidor PostgreSQL não foram encontrados em /usr/lib/postgresql (instale o pacote postgresql)</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>não foi possível criar %1</translation>
    </message>
    <message>
        <source>cannot hand %1 to the postgres system user</source>
        <translation>não foi possível passar %1 ao usuário de sistema postgres</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>não foi possível gravar %1</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>initdb failed: %1</source>
        <translation>o initdb falhou: %1</translation>
    </message>
    <message>
        <source>cannot rename %1 to %2</source>
        <translation>não foi possível renomear %1 para %2</translation>
    </message>
    <message>
        <source>cannot read the demo password file %1</source>
        <translation>não foi possível ler o arquivo de senha da demonstração %1</translation>
    </message>
</context>
<context>
    <name>EventRepository</name>
    <message>
        <source>reading the raw events of a key</source>
        <translation>lendo os eventos brutos de uma chave</translation>
    </message>
</context>
<context>
    <name>FeatureFlags</name>
    <message>
        <source>reading feature flags</source>
        <translation>lendo os sinalizadores de recursos</translation>
    </message>
    <message>
        <source>feature flag bit %1 is outside 0..62</source>
        <translation>o bit %1 de sinalizador de recurso está fora de 0..62</translation>
    </message>
    <message>
        <source>enabling feature flag bit %1</source>
        <translation>ativando o bit %1 de sinalizador de recurso</translation>
    </message>
    <message>
        <source>locking account %1</source>
        <translation>bloqueando a conta %1</translation>
    </message>
    <message>
        <source>account %1: no row updated, expected 1</source>
        <translation>conta %1: nenhuma linha atualizada, esperava-se 1</translation>
    </message>
</context>
<context>
    <name>FleetCommand</name>
    <message>
        <source>accounts %1/%2  days %3/%4  events %5  %6  %7 events/s  ETA %8 s</source>
        <translation>contas %1/%2  dias %3/%4  eventos %5  %6  %7 eventos/s  faltam %8 s</translation>
    </message>
    <message>
        <source>rows %1</source>
        <translation>linhas %1</translation>
    </message>
    <message>
        <source>verifying</source>
        <translation>verificando</translation>
    </message>
    <message>
        <source>every account that has a usable reporting_timezone (a fleet run)</source>
        <translation>todas as contas com um reporting_timezone utilizável (uma execução em frota)</translation>
    </message>
    <message>
        <source>with --all: only these accounts, e.g. 1,5,20-30</source>
        <translation>com --all: só estas contas, p. ex. 1,5,20-30</translation>
    </message>
    <message>
        <source>with --all: connections working at once (default 2)</source>
        <translation>com --all: conexões trabalhando ao mesmo tempo (padrão 2)</translation>
    </message>
    <message>
        <source>with --all: accounts read (and locked) together (default %1)</source>
        <translation>com --all: contas lidas (e bloqueadas) juntas (padrão %1)</translation>
    </message>
    <message>
        <source>with --all: which days: all (default), missing (no rollup row) or differing</source>
        <translation>com --all: quais dias: all (todos, padrão), missing (sem linha de rollup) ou differing (com diferenças)</translation>
    </message>
    <message>
        <source>with --all: keep the database busy at most this fraction of the time, 0 &lt; F &lt;= 1 (default 1)</source>
        <translation>com --all: ocupa o banco no máximo esta fração do tempo, 0 &lt; F &lt;= 1 (padrão 1)</translation>
    </message>
    <message>
        <source>with --all: skip the accounts the interrupted run finished (its journal)</source>
        <translation>com --all: pula as contas que a execução interrompida concluiu (o seu diário)</translation>
    </message>
    <message>
        <source>--accounts goes with --all</source>
        <translation>--accounts vale junto com --all</translation>
    </message>
    <message>
        <source>give either --account ID or --all, not both</source>
        <translation>informe --account ID ou --all, não os dois</translation>
    </message>
    <message>
        <source>--%1 does not go with --all: a fleet run covers each account&apos;s default range</source>
        <translation>--%1 não vale com --all: uma execução em frota cobre o intervalo padrão de cada conta</translation>
    </message>
    <message>
        <source>--workers &apos;%1&apos; is not a number from 1 to 16</source>
        <translation>--workers &apos;%1&apos; não é um número de 1 a 16</translation>
    </message>
    <message>
        <source>--batch &apos;%1&apos; is not a number from 1 to 5000</source>
        <translation>--batch &apos;%1&apos; não é um número de 1 a 5000</translation>
    </message>
    <message>
        <source>--only must be all, missing or differing, not &apos;%1&apos;</source>
        <translation>--only deve ser all, missing ou differing, não &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--duty-cycle &apos;%1&apos; is not a fraction with 0 &lt; F &lt;= 1</source>
        <translation>--duty-cycle &apos;%1&apos; não é uma fração com 0 &lt; F &lt;= 1</translation>
    </message>
    <message>
        <source>--format must be table, csv or json, not &apos;%1&apos;</source>
        <translation>--format deve ser table, csv ou json, não &apos;%1&apos;</translation>
    </message>
    <message numerus="yes">
        <source>Backfill %n account(s), %1 days in all? [y/N] </source>
        <translation>
            <numerusform>Reconstruir %n conta, %1 dias ao todo? [y/N] </numerusform>
            <numerusform>Reconstruir %n contas, %1 dias ao todo? [y/N] </numerusform>
        </translation>
    </message>
    <message>
        <source>aborted; nothing written</source>
        <translation>interrompido; nada foi gravado</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s), the longest range %1 days: pass --yes to confirm a fleet backfill of more than 20 accounts or %2 days</source>
        <translation>
            <numerusform>%n conta, o maior intervalo %1 dias: passe --yes para confirmar uma reconstrução em frota de mais de 20 contas ou %2 dias</numerusform>
            <numerusform>%n contas, o maior intervalo %1 dias: passe --yes para confirmar uma reconstrução em frota de mais de 20 contas ou %2 dias</numerusform>
        </translation>
    </message>
    <message>
        <source>account %1: skipped: %2</source>
        <translation>conta %1: pulada: %2</translation>
    </message>
    <message>
        <source>account %1: %2: %3</source>
        <translation>conta %1: %2: %3</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s): %1 match, %2 differ, %3 skipped, %4 errors; %5 keys compared; %6 s; journal %7</source>
        <translation>
            <numerusform>%n conta: %1 iguais, %2 diferentes, %3 puladas, %4 erros; %5 chaves comparadas; %6 s; diário %7</numerusform>
            <numerusform>%n contas: %1 iguais, %2 diferentes, %3 puladas, %4 erros; %5 chaves comparadas; %6 s; diário %7</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>dry run: %n account(s) to backfill, %1 days in all; nothing written</source>
        <translation>
            <numerusform>simulação: %n conta a reconstruir, %1 dias ao todo; nada foi gravado</numerusform>
            <numerusform>simulação: %n contas a reconstruir, %1 dias ao todo; nada foi gravado</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s): %1 done, %2 skipped, %3 locked by another session, %4 failed, %5 not finished; %6 rows written; %7 s; journal %8</source>
        <translation>
            <numerusform>%n conta: %1 concluídas, %2 puladas, %3 bloqueadas por outra sessão, %4 com falha, %5 não terminadas; %6 linhas gravadas; %7 s; diário %8</numerusform>
            <numerusform>%n contas: %1 concluídas, %2 puladas, %3 bloqueadas por outra sessão, %4 com falha, %5 não terminadas; %6 linhas gravadas; %7 s; diário %8</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>workers busy %1 s of %2 s (duty cycle %3, %n worker(s))</source>
        <translation>
            <numerusform>conexões ocupadas %1 s de %2 s (ciclo de trabalho %3, %n conexão)</numerusform>
            <numerusform>conexões ocupadas %1 s de %2 s (ciclo de trabalho %3, %n conexões)</numerusform>
        </translation>
    </message>
    <message>
        <source>the same command with --resume finishes the run</source>
        <translation>o mesmo comando com --resume termina a execução</translation>
    </message>
    <message>
        <source>rollup-console %1: %2</source>
        <translation>rollup-console %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s) ran again after colliding with live writes (a row inserted meanwhile, a lost deadlock or serialization race); live_touched_days names the days to verify</source>
        <translation>
            <numerusform>%n bloco executado de novo após colidir com escritas ao vivo (uma linha inserida nesse meio-tempo, um deadlock perdido ou uma disputa de serialização); live_touched_days nomeia os dias a verificar</numerusform>
            <numerusform>%n blocos executados de novo após colidir com escritas ao vivo (uma linha inserida nesse meio-tempo, um deadlock perdido ou uma disputa de serialização); live_touched_days nomeia os dias a verificar</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FleetJournal</name>
    <message>
        <source>cannot read the journal %1: %2</source>
        <translation>não foi possível ler o diário %1: %2</translation>
    </message>
    <message>
        <source>the journal %1 is not one of a fleet %2</source>
        <translation>o diário %1 não é de uma frota %2</translation>
    </message>
    <message>
        <source>cannot write the journal %1: %2</source>
        <translation>não foi possível gravar o diário %1: %2</translation>
    </message>
    <message>
        <source>cannot write the journal %1</source>
        <translation>não foi possível gravar o diário %1</translation>
    </message>
</context>
<context>
    <name>FleetPlanner</name>
    <message>
        <source>finished before the interruption</source>
        <translation>concluída antes da interrupção</translation>
    </message>
    <message>
        <source>no reporting_timezone</source>
        <translation>sem reporting_timezone</translation>
    </message>
    <message>
        <source>invalid reporting_timezone: %1</source>
        <translation>reporting_timezone inválido: %1</translation>
    </message>
    <message>
        <source>every day of the range has rollup rows</source>
        <translation>todos os dias do intervalo têm linhas de rollup</translation>
    </message>
    <message>
        <source>planning cancelled</source>
        <translation>planejamento cancelado</translation>
    </message>
</context>
<context>
    <name>FleetRunner</name>
    <message>
        <source>a worker&apos;s connection failed</source>
        <translation>a conexão de um trabalhador falhou</translation>
    </message>
</context>
<context>
    <name>HistoryCommand</name>
    <message>
        <source>Prints the console&apos;s own history of the changes it made to one database, oldest first: time zones set or cleared, backfills (range, days, rows deleted and written, outcome, duration), the read path enabled, fleet backfills; who, when and against which server. A run that never recorded its end (killed, crashed) shows as &quot;not finished&quot;. The history is local to this machine (one file per database in the console&apos;s state directory); the database is named as for the other commands, and not connected to.</source>
        <translation>Mostra o histórico do próprio console das alterações que ele fez num banco de dados, do mais antigo ao mais recente: fusos horários definidos ou removidos, reconstruções (intervalo, dias, linhas apagadas e gravadas, resultado, duração), o caminho de leitura ativado, reconstruções em frota; quem, quando e em qual servidor. Uma execução que nunca registrou o seu fim (encerrada à força, travou) aparece como &quot;não terminada&quot;. O histórico fica nesta máquina (um arquivo por banco de dados no diretório de estado do console); o banco é indicado como nos outros comandos, e não há conexão com ele.</translation>
    </message>
    <message>
        <source>table (default), csv or json</source>
        <translation>table (padrão), csv ou json</translation>
    </message>
    <message>
        <source>postgres://user@host:port/db whose history to print (else DATABASE_URL, Chatwoot&apos;s POSTGRES_*, libpq&apos;s PG*)</source>
        <translation>postgres://usuario@host:porta/banco cujo histórico mostrar (senão DATABASE_URL, as POSTGRES_* do Chatwoot, as PG* da libpq)</translation>
    </message>
    <message>
        <source>--format must be table, csv or json, not &apos;%1&apos;</source>
        <translation>--format deve ser table, csv ou json, não &apos;%1&apos;</translation>
    </message>
    <message>
        <source>no history of %1%2 (%3)</source>
        <translation>nenhum histórico de %1%2 (%3)</translation>
    </message>
    <message>
        <source> for account %1</source>
        <translation> da conta %1</translation>
    </message>
</context>
<context>
    <name>HistoryEntry</name>
    <message>
        <source>running</source>
        <translation>em execução</translation>
    </message>
    <message>
        <source>not finished</source>
        <translation>não terminada</translation>
    </message>
</context>
<context>
    <name>HistoryJournal</name>
    <message>
        <source>cannot write the history %1: %2</source>
        <translation>não foi possível gravar o histórico %1: %2</translation>
    </message>
    <message>
        <source>cannot read the history %1: %2</source>
        <translation>não foi possível ler o histórico %1: %2</translation>
    </message>
</context>
<context>
    <name>LocalDate</name>
    <message>
        <source>malformed date &apos;%1&apos;: expected YYYY-MM-DD</source>
        <translation>data malformada &apos;%1&apos;: esperado AAAA-MM-DD</translation>
    </message>
    <message>
        <source>impossible date &apos;%1&apos;: no such day in the calendar</source>
        <translation>data impossível &apos;%1&apos;: esse dia não existe no calendário</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Rollup Console</source>
        <translation>Console de Rollups</translation>
    </message>
</context>
<context>
    <name>RangePlanner</name>
    <message>
        <source>--from %1 is after --to %2</source>
        <translation>--from %1 é posterior a --to %2</translation>
    </message>
    <message>
        <source>the account has no reporting events</source>
        <translation>a conta não tem eventos de relatório</translation>
    </message>
    <message>
        <source>--to %1 is not a closed day in the account&apos;s zone (today there is %2); pass --include-today to include it</source>
        <translation>--to %1 não é um dia fechado no fuso da conta (lá, hoje é %2); passe --include-today para incluí-lo</translation>
    </message>
    <message>
        <source>no closed days to process (from %1, to %2)</source>
        <translation>nenhum dia fechado a processar (de %1 a %2)</translation>
    </message>
</context>
<context>
    <name>RawEventsDialog</name>
    <message>
        <source>Raw events</source>
        <translation>Eventos brutos</translation>
    </message>
    <message>
        <source>no row</source>
        <translation>nenhuma linha</translation>
    </message>
    <message>
        <source>count %1, sum %2, sum (BH) %3</source>
        <translation>contagem %1, soma %2, soma (HC) %3</translation>
    </message>
</context>
<context>
    <name>ReplicaLag</name>
    <message>
        <source>caught up with the primary</source>
        <translation>em dia com o primário</translation>
    </message>
    <message>
        <source>behind the primary (by an unknown time: nothing replayed since it started)</source>
        <translation>atrasada em relação ao primário (por um tempo desconhecido: nada foi reaplicado desde que ela iniciou)</translation>
    </message>
    <message>
        <source>%1 s behind the primary</source>
        <translation>%1 s atrás do primário</translation>
    </message>
    <message>
        <source>today, whose rollups change all the time</source>
        <translation>hoje, cujos rollups mudam o tempo todo</translation>
    </message>
    <message>
        <source>yesterday (%1), whose events and rollups may still be arriving</source>
        <translation>ontem (%1), cujos eventos e rollups ainda podem estar chegando</translation>
    </message>
    <message>
        <source>%1; a backfill of those days on the primary may not have reached the replica</source>
        <translation>%1; uma reconstrução desses dias no primário pode não ter chegado à réplica</translation>
    </message>
    <message>
        <source>warning: the replica %1 is %2, more than the %3 s a range reaching %4 tolerates; verify on the primary (without a replica) for an exact answer</source>
        <translation>aviso: a réplica %1 está %2, mais do que os %3 s que um intervalo que chega a %4 tolera; verifique no primário (sem réplica) para uma resposta exata</translation>
    </message>
</context>
<context>
    <name>ReplicaTest</name>
    <message>
        <source>primary %1 (writes, lock) · replica %2 (planning and verify reads), %3</source>
        <translation>primário %1 (gravações, bloqueio) · réplica %2 (leituras do planejamento e da verificação), %3</translation>
    </message>
</context>
<context>
    <name>RollupDays</name>
    <message>
        <source>reading the days that have rollup rows</source>
        <translation>lendo os dias que têm linhas de rollup</translation>
    </message>
</context>
<context>
    <name>RollupWriter</name>
    <message>
        <source>deleting old rollup rows</source>
        <translation>apagando as linhas de rollup antigas</translation>
    </message>
    <message>
        <source>writing rollup rows</source>
        <translation>gravando as linhas de rollup</translation>
    </message>
    <message>
        <source>locking the account</source>
        <translation>bloqueando a conta</translation>
    </message>
    <message>
        <source>finding the lock holder</source>
        <translation>procurando quem detém o bloqueio</translation>
    </message>
    <message>
        <source>another backfill of account %1 is running (pid %2, application_name &apos;%3&apos;, from %4, session since %5)</source>
        <translation>outra reconstrução da conta %1 está em execução (pid %2, application_name &apos;%3&apos;, de %4, sessão desde %5)</translation>
    </message>
    <message>
        <source>another backfill of account %1 is running</source>
        <translation>outra reconstrução da conta %1 está em execução</translation>
    </message>
    <message>
        <source>checking the written days for other sessions&apos; writes</source>
        <translation>verificando se outras sessões gravaram nos dias gravados</translation>
    </message>
    <message>
        <source>locking the accounts</source>
        <translation>bloqueando as contas</translation>
    </message>
</context>
<context>
    <name>Schema</name>
    <message>
        <source>is this a Chatwoot database?</source>
        <translation>este é um banco de dados do Chatwoot?</translation>
    </message>
    <message>
        <source>run Chatwoot&apos;s migrations (PR #13796) first</source>
        <translation>rode antes as migrações do Chatwoot (PR #13796)</translation>
    </message>
    <message>
        <source>reading the schema</source>
        <translation>lendo o esquema</translation>
    </message>
    <message>
        <source>table %1 not found: %2</source>
        <translation>tabela %1 não encontrada: %2</translation>
    </message>
    <message>
        <source>column %1.%2 not found: %3</source>
        <translation>coluna %1.%2 não encontrada: %3</translation>
    </message>
    <message>
        <source>creating the schema</source>
        <translation>criando o esquema</translation>
    </message>
</context>
<context>
    <name>ServerStatus</name>
    <message>
        <source>asking whether the server is a standby</source>
        <translation>perguntando se o servidor é um standby</translation>
    </message>
    <message>
        <source>%1 is a standby in recovery (read-only): writes and the backfill&apos;s lock go to the primary; give the primary&apos;s address (a replica belongs in --replica-url, or the connection&apos;s replica field)</source>
        <translation>%1 é um standby em recuperação (somente leitura): as gravações e o bloqueio da reconstrução vão para o primário; informe o endereço do primário (uma réplica vai em --replica-url, ou no campo de réplica da conexão)</translation>
    </message>
    <message>
        <source>reading the system identifier</source>
        <translation>lendo o identificador do sistema</translation>
    </message>
    <message>
        <source>reading the primary&apos;s WAL position</source>
        <translation>lendo a posição do WAL do primário</translation>
    </message>
    <message>
        <source>reading the replica&apos;s replay position</source>
        <translation>lendo a posição de reaplicação da réplica</translation>
    </message>
</context>
<context>
    <name>SetTimezoneCommand</name>
    <message>
        <source>(not set)</source>
        <translation>(não definido)</translation>
    </message>
    <message>
        <source>Sets or clears an account&apos;s settings.reporting_timezone. NAME is an IANA zone id (America/New_York) or a Rails time zone name (&quot;Eastern Time (US &amp; Canada)&quot;), case-sensitive like ActiveSupport; the IANA id is written. Other settings keys are kept, also when written concurrently. Prints old -&gt; new and warns when existing rollups were bucketed in the old zone.</source>
        <translation>Define ou remove o settings.reporting_timezone de uma conta. NAME é um id de fuso IANA (America/Sao_Paulo) ou um nome de fuso do Rails (&quot;Brasilia&quot;), diferenciando maiúsculas como o ActiveSupport; grava-se o id IANA. As outras chaves de settings são mantidas, mesmo quando gravadas ao mesmo tempo. Mostra antigo -&gt; novo e avisa quando rollups existentes foram agrupados no fuso antigo.</translation>
    </message>
    <message>
        <source>IANA id or Rails name to store</source>
        <translation>id IANA ou nome do Rails a gravar</translation>
    </message>
    <message>
        <source>remove reporting_timezone (rollups off)</source>
        <translation>remove o reporting_timezone (rollups desligados)</translation>
    </message>
    <message>
        <source>give exactly one of --timezone NAME or --clear</source>
        <translation>informe exatamente um de --timezone NOME ou --clear</translation>
    </message>
    <message>
        <source>--timezone is %1; use --clear to remove the zone</source>
        <translation>--timezone está %1; use --clear para remover o fuso</translation>
    </message>
    <message>
        <source>account %1 (%2): reporting_timezone %3 -&gt; %4</source>
        <translation>conta %1 (%2): reporting_timezone %3 -&gt; %4</translation>
    </message>
    <message>
        <source> (Rails name &apos;%1&apos;)</source>
        <translation> (nome do Rails &apos;%1&apos;)</translation>
    </message>
    <message>
        <source> (unchanged)</source>
        <translation> (inalterado)</translation>
    </message>
    <message>
        <source>warning: %1 rollup rows over %2 days (%3) were bucketed in %4; </source>
        <translation>aviso: %1 linhas de rollup em %2 dias (%3) foram agrupadas em %4; </translation>
    </message>
    <message>
        <source>they keep those day boundaries until re-backfilled: rollup-console backfill --account %1</source>
        <translation>elas mantêm esses limites de dia até serem reconstruídas: rollup-console backfill --account %1</translation>
    </message>
    <message>
        <source>with the zone cleared the live path stops writing rollups; existing rows stay</source>
        <translation>sem fuso, o caminho ao vivo deixa de gravar rollups; as linhas existentes ficam</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>aviso: %1</translation>
    </message>
</context>
<context>
    <name>TimezoneChange</name>
    <message>
        <source>an earlier zone (the stored value is %1)</source>
        <translation>um fuso anterior (o valor gravado é %1)</translation>
    </message>
    <message>
        <source>account %1 not found</source>
        <translation>conta %1 não encontrada</translation>
    </message>
</context>
<context>
    <name>TimezoneDialog</name>
    <message>
        <source>Reporting time zone</source>
        <translation>Fuso horário dos relatórios</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Buscar:</translation>
    </message>
    <message>
        <source>Zone id, abbreviation or Rails name (e.g. Kolkata, EST, Eastern Time)</source>
        <translation>Id do fuso, abreviação ou nome do Rails (p. ex. Sao_Paulo, BRT, Brasilia)</translation>
    </message>
    <message>
        <source>UTC &amp;offset:</source>
        <translation>&amp;Deslocamento UTC:</translation>
    </message>
    <message>
        <source>+5:30, -3, +05:45</source>
        <translation>-3, +5:30, +05:45</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Prévia</translation>
    </message>
    <message>
        <source>No zone selected</source>
        <translation>Nenhum fuso selecionado</translation>
    </message>
    <message>
        <source>Today closes at (zone):</source>
        <translation>Hoje fecha às (fuso):</translation>
    </message>
    <message>
        <source>… in UTC:</source>
        <translation>… em UTC:</translation>
    </message>
    <message>
        <source>… on this computer:</source>
        <translation>… neste computador:</translation>
    </message>
    <message>
        <source>Earliest backfill of today:</source>
        <translation>Reconstrução de hoje a partir de:</translation>
    </message>
    <message>
        <source>&amp;Re-backfill all days now (after saving, over the account&apos;s whole history)</source>
        <translation>&amp;Reconstruir todos os dias agora (depois de salvar, todo o histórico da conta)</translation>
    </message>
    <message>
        <source>C&amp;lear time zone</source>
        <translation>&amp;Remover fuso horário</translation>
    </message>
</context>
<context>
    <name>VerifyCommand</name>
    <message>
        <source>Compares stored reporting_events_rollups rows with what a backfill would write from the raw events. Exit 0: everything matches; 1: differences; 2: error.</source>
        <translation>Compara as linhas gravadas de reporting_events_rollups com o que uma reconstrução gravaria a partir dos eventos brutos. Saída 0: tudo confere; 1: diferenças; 2: erro.</translation>
    </message>
    <message>
        <source>allow today&apos;s local day</source>
        <translation>permite o dia local de hoje</translation>
    </message>
    <message>
        <source>table (default), csv or json</source>
        <translation>table (padrão), csv ou json</translation>
    </message>
    <message>
        <source>leave out keys that match</source>
        <translation>omite as chaves iguais</translation>
    </message>
    <message>
        <source>--format must be table, csv or json, not &apos;%1&apos;</source>
        <translation>--format deve ser table, csv ou json, não &apos;%1&apos;</translation>
    </message>
    <message>
        <source>cancelled; no result</source>
        <translation>cancelado; sem resultado</translation>
    </message>
    <message>
        <source>nothing to verify: %1</source>
        <translation>nada a verificar: %1</translation>
    </message>
    <message>
        <source>account %1, %2 .. %3 (%4 days): %5 keys compared, %6 match, %7 mismatch, %8 missing, %9 extra, match rate %10%, %11 days with differences, %12 s</source>
        <translation>conta %1, %2 .. %3 (%4 dias): %5 chaves comparadas, %6 iguais, %7 diferentes, %8 ausentes, %9 excedentes, taxa de acerto %10%, %11 dias com diferenças, %12 s</translation>
    </message>
    <message numerus="yes">
        <source>note: %n stored rollup row(s) outside the range were not compared (dated %1 .. %2; today&apos;s excluded); --from/--to include them, and a backfill of those days clears rows without events</source>
        <translation>
            <numerusform>nota: %n linha de rollup gravada fora do intervalo não foi comparada (datas %1 .. %2; sem a de hoje); --from/--to a incluem, e uma reconstrução desses dias apaga linhas sem eventos</numerusform>
            <numerusform>nota: %n linhas de rollup gravadas fora do intervalo não foram comparadas (datas %1 .. %2; sem as de hoje); --from/--to as incluem, e uma reconstrução desses dias apaga linhas sem eventos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VerifyEngine</name>
    <message>
        <source>canceling statement due to user request</source>
        <translation>comando cancelado a pedido do usuário</translation>
    </message>
</context>
<context>
    <name>VerifyFormat</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 d</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>match</source>
        <translation>igual</translation>
    </message>
    <message>
        <source>mismatch</source>
        <translation>diferente</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>ausente</translation>
    </message>
    <message>
        <source>extra</source>
        <translation>excedente</translation>
    </message>
    <message>
        <source>account</source>
        <translation>conta</translation>
    </message>
    <message>
        <source>agent</source>
        <translation>agente</translation>
    </message>
    <message>
        <source>inbox</source>
        <translation>caixa de entrada</translation>
    </message>
    <message>
        <source>team</source>
        <translation>time</translation>
    </message>
</context>
<context>
    <name>VerifyJob</name>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Comparing rollups with raw events…</source>
        <translation>Comparando os rollups com os eventos brutos…</translation>
    </message>
    <message>
        <source>Reading agent and inbox names…</source>
        <translation>Lendo os nomes de agentes e caixas de entrada…</translation>
    </message>
    <message>
        <source>Summarizing days…</source>
        <translation>Resumindo os dias…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Concluído</translation>
    </message>
    <message>
        <source>no completed verify of this account</source>
        <translation>nenhuma verificação concluída desta conta</translation>
    </message>
    <message>
        <source>the last verify covered a chosen range, not the account&apos;s whole history</source>
        <translation>a última verificação cobriu um intervalo escolhido, não todo o histórico da conta</translation>
    </message>
    <message>
        <source>the last verify had no days to compare</source>
        <translation>a última verificação não teve dias para comparar</translation>
    </message>
    <message numerus="yes">
        <source>%n stored row(s) lie outside the account&apos;s event days (%1 .. %2); a backfill of those days clears them</source>
        <translation>
            <numerusform>%n linha gravada fica fora dos dias com eventos da conta (%1 .. %2); uma reconstrução desses dias a apaga</numerusform>
            <numerusform>%n linhas gravadas ficam fora dos dias com eventos da conta (%1 .. %2); uma reconstrução desses dias as apaga</numerusform>
        </translation>
    </message>
    <message>
        <source>account %1 not found</source>
        <translation>conta %1 não encontrada</translation>
    </message>
    <message numerus="yes">
        <source>the last verify found %Ln difference(s)</source>
        <translation>
            <numerusform>a última verificação encontrou %Ln diferença</numerusform>
            <numerusform>a última verificação encontrou %Ln diferenças</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VerifyRepository</name>
    <message>
        <source>comparing rollups with raw events</source>
        <translation>comparando os rollups com os eventos brutos</translation>
    </message>
    <message>
        <source>counting stored rows outside the range</source>
        <translation>contando as linhas gravadas fora do intervalo</translation>
    </message>
</context>
<context>
    <name>ViewHelp</name>
    <message>
        <source>Accounts</source>
        <translation>Contas</translation>
    </message>
    <message>
        <source>Every account with its reporting_timezone: rollups are written only for an account whose zone resolves. Double-click a zone cell or press Ctrl+T to change it.</source>
        <translation>Todas as contas com o seu reporting_timezone: só se gravam rollups de uma conta cujo fuso é resolvido. Clique duas vezes numa célula de fuso ou pressione Ctrl+T para alterá-lo.</translation>
    </message>
    <message>
        <source>IANA</source>
        <translation>IANA</translation>
    </message>
    <message>
        <source>an IANA zone id such as America/Sao_Paulo: usable</source>
        <translation>um id de fuso IANA como America/Sao_Paulo: utilizável</translation>
    </message>
    <message>
        <source>Rails name</source>
        <translation>nome do Rails</translation>
    </message>
    <message>
        <source>a Rails zone name such as &quot;Brasilia&quot;: usable, resolved to its IANA id</source>
        <translation>um nome de fuso do Rails como &quot;Brasilia&quot;: utilizável, resolvido para o seu id IANA</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>não definido</translation>
    </message>
    <message>
        <source>no zone: Chatwoot writes no rollups for the account</source>
        <translation>sem fuso: o Chatwoot não grava rollups da conta</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>inválido</translation>
    </message>
    <message>
        <source>a value no zone resolves to: rollups are off; the reason is in the next column</source>
        <translation>um valor que não resolve para nenhum fuso: rollups desligados; o motivo está na coluna seguinte</translation>
    </message>
    <message>
        <source>statistics still loading</source>
        <translation>estatísticas ainda carregando</translation>
    </message>
    <message>
        <source>Rollup dates</source>
        <translation>Datas dos rollups</translation>
    </message>
    <message>
        <source>the first and last local day that has rollup rows</source>
        <translation>o primeiro e o último dia local com linhas de rollup</translation>
    </message>
    <message>
        <source>First / last event day</source>
        <translation>Dia do primeiro / último evento</translation>
    </message>
    <message>
        <source>in the account&apos;s zone; in grey with &quot;UTC&quot; when the zone is not usable</source>
        <translation>no fuso da conta; em cinza com &quot;UTC&quot; quando o fuso não é utilizável</translation>
    </message>
    <message>
        <source>Backfill</source>
        <translation>Reconstrução</translation>
    </message>
    <message>
        <source>Plan a range of local days, look at the dry run, then start. Each day is replaced in one transaction: all its old rows or all its new rows, never a mix. Esc cancels.</source>
        <translation>Planeje um intervalo de dias locais, confira a simulação e então inicie. Cada dia é substituído numa transação: todas as suas linhas antigas ou todas as novas, nunca uma mistura. Esc cancela.</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>pendente</translation>
    </message>
    <message>
        <source>planned, not written yet</source>
        <translation>planejado, ainda não gravado</translation>
    </message>
    <message>
        <source>running</source>
        <translation>em execução</translation>
    </message>
    <message>
        <source>in the chunk being written now</source>
        <translation>no bloco que está sendo gravado agora</translation>
    </message>
    <message>
        <source>done</source>
        <translation>concluído</translation>
    </message>
    <message>
        <source>written: the day has its new rows</source>
        <translation>gravado: o dia tem as suas linhas novas</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>falhou</translation>
    </message>
    <message>
        <source>its chunk failed: the day keeps its old rows; Retry runs it again</source>
        <translation>o seu bloco falhou: o dia fica com as linhas antigas; “Repetir” o executa de novo</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>pulado</translation>
    </message>
    <message>
        <source>in the range but not selected by the mode (e.g. only days that differ)</source>
        <translation>no intervalo, mas não selecionado pelo modo (p. ex. só os dias com diferenças)</translation>
    </message>
    <message>
        <source>Today&apos;s local day is left out unless you include it: Chatwoot still writes it live.</source>
        <translation>O dia local de hoje fica de fora, a menos que você o inclua: o Chatwoot ainda o grava ao vivo.</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Verificação</translation>
    </message>
    <message>
        <source>Each (day, dimension, id, metric) key of the stored rollups is compared with what a backfill would write from the raw events. A heatmap cell shows its day&apos;s worst status.</source>
        <translation>Cada chave (dia, dimensão, id, métrica) dos rollups gravados é comparada com o que uma reconstrução gravaria a partir dos eventos brutos. Uma célula do mapa de calor mostra o pior estado do seu dia.</translation>
    </message>
    <message>
        <source>match</source>
        <translation>igual</translation>
    </message>
    <message>
        <source>the stored row equals the recomputed one</source>
        <translation>a linha gravada é igual à recalculada</translation>
    </message>
    <message>
        <source>extra</source>
        <translation>excedente</translation>
    </message>
    <message>
        <source>a stored row that no raw event backs: a backfill deletes it</source>
        <translation>uma linha gravada sem eventos brutos que a sustentem: uma reconstrução a apaga</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>ausente</translation>
    </message>
    <message>
        <source>raw events with no stored row: a backfill inserts it</source>
        <translation>eventos brutos sem linha gravada: uma reconstrução a insere</translation>
    </message>
    <message>
        <source>mismatch</source>
        <translation>diferente</translation>
    </message>
    <message>
        <source>both exist but the count or a sum differs</source>
        <translation>as duas existem, mas a contagem ou uma soma difere</translation>
    </message>
    <message>
        <source>no keys</source>
        <translation>sem chaves</translation>
    </message>
    <message>
        <source>a day without events or rows</source>
        <translation>um dia sem eventos nem linhas</translation>
    </message>
    <message>
        <source>Double-click a row to see its raw events; select rows and re-backfill just those days.</source>
        <translation>Clique duas vezes numa linha para ver os seus eventos brutos; selecione linhas e reconstrua só esses dias.</translation>
    </message>
    <message>
        <source>What the colours and statuses of this view mean</source>
        <translation>O que as cores e os estados desta tela significam</translation>
    </message>
</context>
<context>
    <name>ZoneResolution</name>
    <message>
        <source>not set</source>
        <translation>não definido</translation>
    </message>
    <message>
        <source>invalid: %1</source>
        <translation>inválido: %1</translation>
    </message>
</context>
<context>
    <name>ZoneResolver</name>
    <message>
        <source>Rails name &apos;%1&apos; maps to %2, which this machine&apos;s tz database lacks</source>
        <translation>o nome do Rails &apos;%1&apos; corresponde a %2, que falta no banco de fusos desta máquina</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has the wrong case (time zone names are case-sensitive; did you mean &apos;%2&apos;?)</source>
        <translation>&apos;%1&apos; está com maiúsculas erradas (nomes de fuso diferenciam maiúsculas; você quis dizer &apos;%2&apos;?)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is neither a Rails time zone name nor an IANA zone id</source>
        <translation>&apos;%1&apos; não é nem um nome de fuso do Rails nem um id de fuso IANA</translation>
    </message>
    <message>
        <source>stored value %1 is not a string</source>
        <translation>o valor gravado %1 não é uma string</translation>
    </message>
</context>
<context>
    <name>rollup::AccountsModel</name>
    <message>
        <source>(settings NULL)</source>
        <translation>(settings é NULL)</translation>
    </message>
    <message>
        <source>(absent)</source>
        <translation>(ausente)</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>não definido</translation>
    </message>
    <message>
        <source>IANA</source>
        <translation>IANA</translation>
    </message>
    <message>
        <source>Rails name</source>
        <translation>nome do Rails</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>inválido</translation>
    </message>
    <message>
        <source>— (rollups off until a zone is set)</source>
        <translation>— (rollups desligados até que se defina um fuso)</translation>
    </message>
    <message>
        <source>Statistics are still loading</source>
        <translation>As estatísticas ainda estão carregando</translation>
    </message>
    <message>
        <source>No usable time zone: the UTC date is shown</source>
        <translation>Sem fuso utilizável: mostra-se a data UTC</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Stored reporting_timezone</source>
        <translation>reporting_timezone gravado</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Resolved zone / reason</source>
        <translation>Fuso resolvido / motivo</translation>
    </message>
    <message>
        <source>Local time now</source>
        <translation>Hora local agora</translation>
    </message>
    <message>
        <source>Rollup dates</source>
        <translation>Datas dos rollups</translation>
    </message>
    <message>
        <source>First event day</source>
        <translation>Dia do primeiro evento</translation>
    </message>
    <message>
        <source>Last event day</source>
        <translation>Dia do último evento</translation>
    </message>
    <message>
        <source>error</source>
        <translation>erro</translation>
    </message>
    <message>
        <source>%1 by %2 on %3: %4</source>
        <translation>%1 por %2 em %3: %4</translation>
    </message>
    <message>
        <source>Not verified from this machine yet</source>
        <translation>Ainda não verificada a partir desta máquina</translation>
    </message>
    <message>
        <source>%1 .. %2%3: %4 keys, %5 match, %6 differ, %7 missing, %8 extra</source>
        <translation>%1 .. %2%3: %4 chaves, %5 iguais, %6 diferentes, %7 ausentes, %8 excedentes</translation>
    </message>
    <message>
        <source> (whole history)</source>
        <translation> (todo o histórico)</translation>
    </message>
    <message>
        <source>Rollups match</source>
        <translation>Rollups iguais</translation>
    </message>
    <message>
        <source>Differing days</source>
        <translation>Dias com diferenças</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>Verificada em</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>Última alteração</translation>
    </message>
</context>
<context>
    <name>rollup::AccountsView</name>
    <message>
        <source>Filter accounts by id, name or time zone (Ctrl+F)</source>
        <translation>Filtrar contas por id, nome ou fuso horário (Ctrl+F)</translation>
    </message>
    <message>
        <source>Edit &amp;time zone…</source>
        <translation>Editar &amp;fuso horário…</translation>
    </message>
    <message>
        <source>Change the selected account&apos;s reporting_timezone (Ctrl+T)</source>
        <translation>Altera o reporting_timezone da conta selecionada (Ctrl+T)</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>carregando…</translation>
    </message>
    <message>
        <source>statistics loading…</source>
        <translation>estatísticas carregando…</translation>
    </message>
    <message>
        <source>statistics failed: %1</source>
        <translation>estatísticas falharam: %1</translation>
    </message>
    <message>
        <source>statistics in %1 s</source>
        <translation>estatísticas em %1 s</translation>
    </message>
    <message>
        <source>statistics %1 of %2…</source>
        <translation>estatísticas %1 de %2…</translation>
    </message>
    <message>
        <source>%1 of %2 accounts</source>
        <translation>%1 de %2 contas</translation>
    </message>
    <message>
        <source>1 account</source>
        <translation>1 conta</translation>
    </message>
    <message>
        <source>%1 accounts</source>
        <translation>%1 contas</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>somente leitura</translation>
    </message>
    <message>
        <source>Backfill account %1…</source>
        <translation>Reconstruir a conta %1…</translation>
    </message>
    <message>
        <source>Read-only connection</source>
        <translation>Conexão somente leitura</translation>
    </message>
    <message>
        <source>Verify account %1…</source>
        <translation>Verificar a conta %1…</translation>
    </message>
    <message>
        <source>&amp;Verify selected</source>
        <translation>&amp;Verificar as selecionadas</translation>
    </message>
    <message>
        <source>Compare the stored rollups of every selected account with its raw events, over each account&apos;s whole history (Ctrl+Shift+V)</source>
        <translation>Compara os rollups gravados de cada conta selecionada com os seus eventos brutos, em todo o histórico de cada conta (Ctrl+Shift+V)</translation>
    </message>
    <message>
        <source>&amp;Backfill selected…</source>
        <translation>&amp;Reconstruir as selecionadas…</translation>
    </message>
    <message>
        <source>Plan a backfill of every selected account&apos;s history; nothing is written before you confirm (Ctrl+Shift+B)</source>
        <translation>Planeja uma reconstrução do histórico de cada conta selecionada; nada é gravado antes da sua confirmação (Ctrl+Shift+B)</translation>
    </message>
    <message numerus="yes">
        <source>%n selected</source>
        <translation>
            <numerusform>%n selecionada</numerusform>
            <numerusform>%n selecionadas</numerusform>
        </translation>
    </message>
    <message>
        <source>History of account %1</source>
        <translation>Histórico da conta %1</translation>
    </message>
</context>
<context>
    <name>rollup::BackfillMonitor</name>
    <message>
        <source>%v / %m days (%p%)</source>
        <translation>%v / %m dias (%p%)</translation>
    </message>
    <message>
        <source>&amp;Plan</source>
        <translation>&amp;Plano</translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation>&amp;Registro</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n dia</numerusform>
            <numerusform>%n dias</numerusform>
        </translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>pulado</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>pendente</translation>
    </message>
    <message>
        <source>running</source>
        <translation>em execução</translation>
    </message>
    <message>
        <source>done</source>
        <translation>concluído</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>falhou</translation>
    </message>
    <message>
        <source>%1 … %2</source>
        <translation>%1 … %2</translation>
    </message>
    <message>
        <source>done %1: %2, %3 events, %4 rows</source>
        <translation>concluído %1: %2, %3 eventos, %4 linhas</translation>
    </message>
    <message>
        <source>%1 — %2
UTC %3 … %4 (%5 h)</source>
        <translation>%1 — %2
UTC %3 … %4 (%5 h)</translation>
    </message>
    <message>
        <source>
%1 events read, %2 rows written</source>
        <translation>
%1 eventos lidos, %2 linhas gravadas</translation>
    </message>
    <message>
        <source>Days %1 / %2 · %3 events read · %4 rows written (%5 deleted) · %6 days/s, %7 events/s · elapsed %8 · ETA %9</source>
        <translation>Dias %1 / %2 · %3 eventos lidos · %4 linhas gravadas (%5 apagadas) · %6 dias/s, %7 eventos/s · decorrido %8 · faltam %9</translation>
    </message>
</context>
<context>
    <name>rollup::BackfillPlanForm</name>
    <message>
        <source>now</source>
        <translation>agora</translation>
    </message>
    <message>
        <source>in %1 h %2 min</source>
        <translation>em %1 h %2 min</translation>
    </message>
    <message>
        <source>All days in the range</source>
        <translation>Todos os dias do intervalo</translation>
    </message>
    <message>
        <source>Only days with no rollup rows</source>
        <translation>Só os dias sem linhas de rollup</translation>
    </message>
    <message numerus="yes">
        <source>Only days that differ in the last verify (%n day(s))</source>
        <translation>
            <numerusform>Só os dias com diferenças na última verificação (%n dia)</numerusform>
            <numerusform>Só os dias com diferenças na última verificação (%n dias)</numerusform>
        </translation>
    </message>
    <message>
        <source>Only days that differ (no verify of this account yet)</source>
        <translation>Só os dias com diferenças (ainda não há verificação desta conta)</translation>
    </message>
    <message numerus="yes">
        <source>Only the listed days (%n day(s))</source>
        <translation>
            <numerusform>Só os dias listados (%n dia)</numerusform>
            <numerusform>Só os dias listados (%n dias)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>settings is NULL</source>
        <translation>settings é NULL</translation>
    </message>
    <message>
        <source>no reporting_timezone key</source>
        <translation>sem a chave reporting_timezone</translation>
    </message>
    <message>
        <source>stored &apos;%1&apos;</source>
        <translation>gravado &apos;%1&apos;</translation>
    </message>
    <message>
        <source>%1, resolved %2 (%3)</source>
        <translation>%1, resolvido %2 (%3)</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b71c1c&apos;&gt;%1: %2&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#b71c1c&apos;&gt;%1: %2&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Today (%1 in %2) is still open: it closes at %3 (%4). Including it races Chatwoot&apos;s live rollup upserts.</source>
        <translation>Hoje (%1 em %2) ainda está aberto: fecha às %3 (%4). Incluí-lo concorre com os upserts ao vivo de rollups do Chatwoot.</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n dia</numerusform>
            <numerusform>%n dias</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days is more than %1 days. Type the account id (%2) to confirm:</source>
        <translation>
            <numerusform>%n dia é mais de %1 dias. Digite o id da conta (%2) para confirmar:</numerusform>
            <numerusform>%n dias são mais de %1 dias. Digite o id da conta (%2) para confirmar:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::BackfillView</name>
    <message numerus="yes">
        <source>%1 … %2 (%n days)</source>
        <translation>
            <numerusform>%1 … %2 (%n dia)</numerusform>
            <numerusform>%1 … %2 (%n dias)</numerusform>
        </translation>
    </message>
    <message>
        <source>mode:           %1</source>
        <translation>modo:                 %1</translation>
    </message>
    <message>
        <source>days with rows: %1 of %2 (left out)</source>
        <translation>dias com linhas:      %1 de %2 (deixados de fora)</translation>
    </message>
    <message>
        <source>dry run: nothing written</source>
        <translation>simulação: nada foi gravado</translation>
    </message>
    <message numerus="yes">
        <source>selected: %n day(s)</source>
        <translation>
            <numerusform>selecionado: %n dia</numerusform>
            <numerusform>selecionados: %n dias</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Retry failed days</source>
        <translation>&amp;Repetir os dias que falharam</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Resume (%n day(s) not processed)</source>
        <translation>
            <numerusform>&amp;Retomar (%n dia não processado)</numerusform>
            <numerusform>&amp;Retomar (%n dias não processados)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Retry failed days (%n day(s))</source>
        <translation>
            <numerusform>&amp;Repetir os dias que falharam (%n dia)</numerusform>
            <numerusform>&amp;Repetir os dias que falharam (%n dias)</numerusform>
        </translation>
    </message>
    <message>
        <source>a backfill of account %1 is running: cancel it before planning another</source>
        <translation>uma reconstrução da conta %1 está em execução: cancele-a antes de planejar outra</translation>
    </message>
    <message>
        <source>A backfill is running; cancel it first.</source>
        <translation>Uma reconstrução está em execução; cancele-a primeiro.</translation>
    </message>
    <message>
        <source>Reading account %1 and its events…</source>
        <translation>Lendo a conta %1 e os seus eventos…</translation>
    </message>
    <message numerus="yes">
        <source>retrying %n day(s)</source>
        <translation>
            <numerusform>repetindo %n dia</numerusform>
            <numerusform>repetindo %n dias</numerusform>
        </translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>Planejando…</translation>
    </message>
    <message numerus="yes">
        <source>Type the account id to confirm a range of more than %n days.</source>
        <translation>
            <numerusform>Digite o id da conta para confirmar um intervalo de mais de %n dia.</numerusform>
            <numerusform>Digite o id da conta para confirmar um intervalo de mais de %n dias.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Type the account id to confirm a range of more than %n days, then Start.</source>
        <translation>
            <numerusform>Digite o id da conta para confirmar um intervalo de mais de %n dia e depois Iniciar.</numerusform>
            <numerusform>Digite o id da conta para confirmar um intervalo de mais de %n dias e depois Iniciar.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1
This account cannot be planned until it has a usable time zone: use “Edit time zone…”.</source>
        <translation>%1
Esta conta só pode ser planejada quando tiver um fuso horário utilizável: use “Editar fuso horário…”.</translation>
    </message>
    <message>
        <source>plan refused: %1</source>
        <translation>plano recusado: %1</translation>
    </message>
    <message>
        <source>Nothing to do: %1</source>
        <translation>Nada a fazer: %1</translation>
    </message>
    <message>
        <source>plan: account %1, nothing to do: %2</source>
        <translation>plano: conta %1, nada a fazer: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) to rewrite; nothing has been written. Start writes them, one transaction per chunk of days.</source>
        <translation>
            <numerusform>%n dia a regravar; nada foi gravado ainda. Iniciar o grava, numa transação por bloco de dias.</numerusform>
            <numerusform>%n dias a regravar; nada foi gravado ainda. Iniciar os grava, numa transação por bloco de dias.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>plan: account %1, %n day(s) selected, %2 … %3</source>
        <translation>
            <numerusform>plano: conta %1, %n dia selecionado, %2 … %3</numerusform>
            <numerusform>plano: conta %1, %n dias selecionados, %2 … %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>backfill of account %1 started: %n day(s), %2 … %3</source>
        <translation>
            <numerusform>reconstrução da conta %1 iniciada: %n dia, %2 … %3</numerusform>
            <numerusform>reconstrução da conta %1 iniciada: %n dias, %2 … %3</numerusform>
        </translation>
    </message>
    <message>
        <source>Running… Esc or Cancel stops it; finished days keep their new rows.</source>
        <translation>Em execução… Esc ou Cancelar a interrompe; os dias concluídos ficam com as linhas novas.</translation>
    </message>
    <message>
        <source>cancelling: the statement in flight is being cancelled on the server</source>
        <translation>cancelando: o comando em andamento está sendo cancelado no servidor</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <source>Backfill complete: %1.</source>
        <translation>Reconstrução concluída: %1.</translation>
    </message>
    <message>
        <source>Done. Next: verify this range against the raw events.</source>
        <translation>Concluído. A seguir: verifique este intervalo contra os eventos brutos.</translation>
    </message>
    <message numerus="yes">
        <source>Cancelled: %1; %n day(s) not processed.</source>
        <translation>
            <numerusform>Cancelada: %1; %n dia não processado.</numerusform>
            <numerusform>Cancelada: %1; %n dias não processados.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled. The green days are committed; the others keep their old rows.</source>
        <translation>Cancelada. Os dias verdes estão gravados; os outros ficam com as linhas antigas.</translation>
    </message>
    <message>
        <source>Failed: %1
Done before the failure: %2; those days keep their new rows, the failed days keep their old rows.</source>
        <translation>Falhou: %1
Feito antes da falha: %2; esses dias ficam com as linhas novas, os dias que falharam ficam com as antigas.</translation>
    </message>
    <message>
        <source>Failed. “Retry failed days” reruns the failed and unprocessed days.</source>
        <translation>Falhou. “Repetir os dias que falharam” executa de novo os dias com falha e os não processados.</translation>
    </message>
    <message>
        <source>The plan changed: Dry run shows it; Start plans and runs it.</source>
        <translation>O plano mudou: Simular o mostra; Iniciar o planeja e executa.</translation>
    </message>
</context>
<context>
    <name>rollup::ConnectionCheck</name>
    <message>
        <source>Connected: PostgreSQL %1, %2</source>
        <translation>Conectado: PostgreSQL %1, %2</translation>
    </message>
    <message>
        <source>, through a pool that keeps one server session per connection</source>
        <translation>, por um pool que mantém uma sessão do servidor por conexão</translation>
    </message>
    <message>
        <source>, a standby in recovery (read-only: writes are refused)</source>
        <translation>, um standby em recuperação (somente leitura: as gravações são recusadas)</translation>
    </message>
    <message>
        <source>, read-only session</source>
        <translation>, sessão somente leitura</translation>
    </message>
    <message>
        <source>; Chatwoot tables found</source>
        <translation>; tabelas do Chatwoot encontradas</translation>
    </message>
    <message>
        <source>; schema: %1</source>
        <translation>; esquema: %1</translation>
    </message>
    <message>
        <source>the replica %1 is not a standby in recovery: verify and planning would read another database than the primary&apos;s; give a streaming replica of the primary, or no replica</source>
        <translation>a réplica %1 não é um standby em recuperação: a verificação e o planejamento leriam um banco de dados diferente do primário; informe uma réplica por streaming do primário, ou nenhuma réplica</translation>
    </message>
    <message>
        <source>the replica %1 is not a standby of the primary %2 (their system identifiers differ)</source>
        <translation>a réplica %1 não é um standby do primário %2 (os identificadores de sistema diferem)</translation>
    </message>
</context>
<context>
    <name>rollup::ConnectionDialog</name>
    <message>
        <source>(libpq default: prefer)</source>
        <translation>(padrão da libpq: prefer)</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Conectar</translation>
    </message>
    <message>
        <source>(no profile)</source>
        <translation>(nenhum perfil)</translation>
    </message>
    <message>
        <source>Root certificate</source>
        <translation>Certificado raiz</translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem);;All files (*)</source>
        <translation>Certificados (*.crt *.pem);;Todos os arquivos (*)</translation>
    </message>
    <message>
        <source>Profile &apos;%1&apos; deleted.</source>
        <translation>Perfil &apos;%1&apos; excluído.</translation>
    </message>
    <message>
        <source>Values from %1.</source>
        <translation>Valores de %1.</translation>
    </message>
    <message>
        <source>Fields filled from the URL.</source>
        <translation>Campos preenchidos a partir da URL.</translation>
    </message>
    <message>
        <source>Type a profile name first.</source>
        <translation>Digite primeiro o nome de um perfil.</translation>
    </message>
    <message>
        <source>Profile &apos;%1&apos; saved (without the password).</source>
        <translation>Perfil &apos;%1&apos; salvo (sem a senha).</translation>
    </message>
    <message>
        <source>Profile &apos;%1&apos; (the password is not stored: type it, or leave it empty for ~/.pgpass).</source>
        <translation>Perfil &apos;%1&apos; (a senha não fica salva: digite-a, ou deixe vazio para usar ~/.pgpass).</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Conectando a %1…</translation>
    </message>
    <message>
        <source>Replica: %1</source>
        <translation>Réplica: %1</translation>
    </message>
</context>
<context>
    <name>rollup::DemoProgress</name>
    <message>
        <source>Rollup Console — starting the demo database</source>
        <translation>Console de Rollups — iniciando o banco de demonstração</translation>
    </message>
    <message>
        <source>Rollup Console — the demo database did not start</source>
        <translation>Console de Rollups — o banco de demonstração não iniciou</translation>
    </message>
    <message>
        <source>Starting the demo database</source>
        <translation>Iniciando o banco de demonstração</translation>
    </message>
    <message>
        <source>The first start creates a PostgreSQL server of the console&apos;s own and fills it with nine Chatwoot-shaped accounts and about 615,000 reporting events. Later starts reuse them. The console connects as soon as the data is ready; closing the window stops the server.</source>
        <translation>O primeiro início cria um servidor PostgreSQL do próprio console e o preenche com nove contas no formato do Chatwoot e cerca de 615.000 eventos de relatório. Os inícios seguintes os reaproveitam. O console se conecta assim que os dados estão prontos; fechar a janela para o servidor.</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Preparando…</translation>
    </message>
    <message>
        <source>Ready. Connecting…</source>
        <translation>Pronto. Conectando…</translation>
    </message>
    <message>
        <source>The demo start was cancelled</source>
        <translation>O início da demonstração foi cancelado</translation>
    </message>
    <message>
        <source>The demo database did not start</source>
        <translation>O banco de demonstração não iniciou</translation>
    </message>
    <message>
        <source>Close the window to quit, or connect to another server with Console ▸ Connect…</source>
        <translation>Feche a janela para sair, ou conecte-se a outro servidor com Console ▸ Conectar…</translation>
    </message>
</context>
<context>
    <name>rollup::FleetModel</name>
    <message>
        <source>queued</source>
        <translation>na fila</translation>
    </message>
    <message>
        <source>running</source>
        <translation>em execução</translation>
    </message>
    <message>
        <source>match</source>
        <translation>igual</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>diferente</translation>
    </message>
    <message>
        <source>done</source>
        <translation>concluída</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>pulada</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>bloqueada</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>falhou</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelada</translation>
    </message>
    <message>
        <source>%1 .. %2 (%3)</source>
        <translation>%1 .. %2 (%3)</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 keys match · %n differing day(s)</source>
        <translation>
            <numerusform>%1 de %2 chaves iguais · %n dia com diferenças</numerusform>
            <numerusform>%1 de %2 chaves iguais · %n dias com diferenças</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 days · %3 rows</source>
        <translation>%1 de %2 dias · %3 linhas</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Dias</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Observação</translation>
    </message>
    <message numerus="yes">
        <source> · %n day(s) also written by another session: verify</source>
        <translation>
            <numerusform> · %n dia também gravado por outra sessão: verifique</numerusform>
            <numerusform> · %n dias também gravados por outra sessão: verifique</numerusform>
        </translation>
    </message>
    <message>
        <source>Written by another session while the run went on (Chatwoot&apos;s live path), so they may differ from their events: %1</source>
        <translation>Gravados por outra sessão enquanto a execução seguia (o caminho ao vivo do Chatwoot), por isso podem divergir dos seus eventos: %1</translation>
    </message>
</context>
<context>
    <name>rollup::FleetView</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Select accounts in the Accounts tab, then Verify selected (Ctrl+Shift+V) or Backfill selected (Ctrl+Shift+B).</source>
        <translation>Selecione contas na aba Contas e use “Verificar as selecionadas” (Ctrl+Shift+V) ou “Reconstruir as selecionadas” (Ctrl+Shift+B).</translation>
    </message>
    <message>
        <source>&amp;Start backfill</source>
        <translation>&amp;Iniciar reconstrução</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausar</translation>
    </message>
    <message>
        <source>Pause between chunks: every finished chunk stays committed (Ctrl+P)</source>
        <translation>Pausa entre um bloco e outro: todo bloco concluído fica gravado (Ctrl+P)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancelar</translation>
    </message>
    <message>
        <source>Cancel: statements in flight are cancelled on the server; finished days keep their new rows (Esc)</source>
        <translation>Cancelar: os comandos em andamento são cancelados no servidor; os dias concluídos ficam com as linhas novas (Esc)</translation>
    </message>
    <message>
        <source>Backfill the &amp;differing days…</source>
        <translation>Reconstruir os &amp;dias com diferenças…</translation>
    </message>
    <message>
        <source>A run is going on: cancel it or wait for it to finish.</source>
        <translation>Há uma execução em andamento: cancele-a ou espere que termine.</translation>
    </message>
    <message numerus="yes">
        <source>Verify %n account(s): stored rollups against raw events, each over its whole history</source>
        <translation>
            <numerusform>Verificar %n conta: rollups gravados contra os eventos brutos, em todo o seu histórico</numerusform>
            <numerusform>Verificar %n contas: rollups gravados contra os eventos brutos, cada uma em todo o seu histórico</numerusform>
        </translation>
    </message>
    <message>
        <source>Read-only connection: nothing can be backfilled.</source>
        <translation>Conexão somente leitura: nada pode ser reconstruído.</translation>
    </message>
    <message numerus="yes">
        <source>Backfill the differing days of %n account(s)</source>
        <translation>
            <numerusform>Reconstruir os dias com diferenças de %n conta</numerusform>
            <numerusform>Reconstruir os dias com diferenças de %n contas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Backfill %n account(s) over their whole history</source>
        <translation>
            <numerusform>Reconstruir %n conta em todo o seu histórico</numerusform>
            <numerusform>Reconstruir %n contas em todo o seu histórico</numerusform>
        </translation>
    </message>
    <message>
        <source>Planning: finding each account&apos;s days (nothing is written)…</source>
        <translation>Planejando: procurando os dias de cada conta (nada é gravado)…</translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>Planejando…</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Retomar</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <source>Planning: reading each account&apos;s event span…</source>
        <translation>Planejando: lendo o período de eventos de cada conta…</translation>
    </message>
    <message>
        <source>accounts %1/%2 · days %3/%4 · %5 events/s · ETA %6</source>
        <translation>contas %1/%2 · dias %3/%4 · %5 eventos/s · faltam %6</translation>
    </message>
    <message numerus="yes">
        <source>Nothing to backfill: %n account(s) skipped (see the Note column).</source>
        <translation>
            <numerusform>Nada a reconstruir: %n conta pulada (veja a coluna Observação).</numerusform>
            <numerusform>Nada a reconstruir: %n contas puladas (veja a coluna Observação).</numerusform>
        </translation>
    </message>
    <message>
        <source>Paused: the finished chunks are committed; Resume goes on from here.</source>
        <translation>Em pausa: os blocos concluídos estão gravados; “Retomar” continua daqui.</translation>
    </message>
    <message numerus="yes">
        <source>Running on %n connection(s)…</source>
        <translation>
            <numerusform>Em execução em %n conexão…</numerusform>
            <numerusform>Em execução em %n conexões…</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 match, %2 differ, %3 skipped, %4 failed</source>
        <translation>%1 iguais, %2 diferentes, %3 puladas, %4 com falha</translation>
    </message>
    <message>
        <source>%1 done, %2 locked by another session, %3 skipped, %4 failed</source>
        <translation>%1 concluídas, %2 bloqueadas por outra sessão, %3 puladas, %4 com falha</translation>
    </message>
    <message>
        <source> · %1</source>
        <translation> · %1</translation>
    </message>
    <message>
        <source>Cancelled: </source>
        <translation>Cancelada: </translation>
    </message>
    <message numerus="yes">
        <source> · %n chunk(s) ran again after colliding with live writes</source>
        <translation>
            <numerusform> · %n bloco executado de novo após colidir com escritas ao vivo</numerusform>
            <numerusform> · %n blocos executados de novo após colidir com escritas ao vivo</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln account(s) and %1 days is more than %2 accounts or %3 days. Type the number of accounts (%4) to confirm:</source>
        <translation>
            <numerusform>%Ln conta e %1 dias são mais de %2 contas ou %3 dias. Digite o número de contas (%4) para confirmar:</numerusform>
            <numerusform>%Ln contas e %1 dias são mais de %2 contas ou %3 dias. Digite o número de contas (%4) para confirmar:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Plan: %Ln account(s), %1 days to compare; only the days that differ are rewritten; %2 skipped. Nothing has been written yet.</source>
        <translation>
            <numerusform>Plano: %Ln conta, %1 dias a comparar; só os dias com diferenças são regravados; %2 puladas. Nada foi gravado ainda.</numerusform>
            <numerusform>Plano: %Ln contas, %1 dias a comparar; só os dias com diferenças são regravados; %2 puladas. Nada foi gravado ainda.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Plan: %Ln account(s), %1 days; %2 skipped. Nothing has been written yet.</source>
        <translation>
            <numerusform>Plano: %Ln conta, %1 dias; %2 puladas. Nada foi gravado ainda.</numerusform>
            <numerusform>Plano: %Ln contas, %1 dias; %2 puladas. Nada foi gravado ainda.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::HelpMenu</name>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;juda</translation>
    </message>
    <message>
        <source>&amp;What is a rollup?</source>
        <translation>&amp;O que é um rollup?</translation>
    </message>
    <message>
        <source>&amp;About Rollup Console</source>
        <translation>&amp;Sobre o Console de Rollups</translation>
    </message>
    <message>
        <source>date library</source>
        <translation>biblioteca date</translation>
    </message>
    <message>
        <source>date library %1</source>
        <translation>biblioteca date %1</translation>
    </message>
    <message>
        <source>time zone database %1</source>
        <translation>banco de fusos horários %1</translation>
    </message>
    <message>
        <source>Qt %1 (built with %2)</source>
        <translation>Qt %1 (compilado com %2)</translation>
    </message>
    <message>
        <source>PostgreSQL server: not connected</source>
        <translation>Servidor PostgreSQL: não conectado</translation>
    </message>
    <message>
        <source>PostgreSQL server: %1</source>
        <translation>Servidor PostgreSQL: %1</translation>
    </message>
    <message>
        <source>Rollup Console</source>
        <translation>Console de Rollups</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Versão %1</translation>
    </message>
    <message>
        <source>Sets accounts&apos; reporting time zones, backfills Chatwoot&apos;s daily reporting rollups and verifies them against the raw events.</source>
        <translation>Define os fusos horários de relatórios das contas, reconstrói os rollups diários de relatórios do Chatwoot e os verifica contra os eventos brutos.</translation>
    </message>
    <message>
        <source>About Rollup Console</source>
        <translation>Sobre o Console de Rollups</translation>
    </message>
    <message>
        <source>What is a rollup?</source>
        <translation>O que é um rollup?</translation>
    </message>
    <message>
        <source>A rollup is one row per account, local day, dimension (the account, an agent, an inbox) and metric that sums that day&apos;s reporting events, so reports read a few rows instead of every event. A day is a day in the account&apos;s reporting_timezone. Rows go wrong when the zone changes or live writes are lost: a backfill rebuilds them, a verify compares them with the raw events. The reference below says exactly how.</source>
        <translation>Um rollup é uma linha por conta, dia local, dimensão (a conta, um agente, uma caixa de entrada) e métrica que soma os eventos de relatório daquele dia, para que os relatórios leiam poucas linhas em vez de todos os eventos. Um dia é um dia no reporting_timezone da conta. As linhas ficam erradas quando o fuso muda ou gravações ao vivo se perdem: uma reconstrução as refaz, uma verificação as compara com os eventos brutos. A referência abaixo (em inglês) explica exatamente como.</translation>
    </message>
</context>
<context>
    <name>rollup::HistoryModel</name>
    <message>
        <source>Set time zone</source>
        <translation>Definir o fuso horário</translation>
    </message>
    <message>
        <source>Clear time zone</source>
        <translation>Remover o fuso horário</translation>
    </message>
    <message>
        <source>Enable read path</source>
        <translation>Ativar o caminho de leitura</translation>
    </message>
    <message>
        <source>Backfill</source>
        <translation>Reconstrução</translation>
    </message>
    <message>
        <source>Fleet backfill</source>
        <translation>Reconstrução em frota</translation>
    </message>
    <message>
        <source>%1 by %2 on %3</source>
        <translation>%1 por %2 em %3</translation>
    </message>
    <message>
        <source>finished %1</source>
        <translation>terminou em %1</translation>
    </message>
    <message>
        <source>The run never recorded its end: it was killed, crashed or lost its machine.</source>
        <translation>A execução nunca registrou o seu fim: foi encerrada à força, travou ou perdeu a sua máquina.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quando</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quem</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Ação</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Conta</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Alteração</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
</context>
<context>
    <name>rollup::HistoryView</name>
    <message>
        <source>History: not connected</source>
        <translation>Histórico: não conectado</translation>
    </message>
    <message>
        <source>all accounts</source>
        <translation>todas as contas</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>Todas as contas</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Atualizar</translation>
    </message>
    <message>
        <source>Account:</source>
        <translation>Conta:</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>Lendo o histórico…</translation>
    </message>
    <message>
        <source>History of the changes this console made to %1</source>
        <translation>Histórico das alterações que este console fez em %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Erro: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) on account %1</source>
        <translation>
            <numerusform>%n ação na conta %1</numerusform>
            <numerusform>%n ações na conta %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s)</source>
        <translation>
            <numerusform>%n ação</numerusform>
            <numerusform>%n ações</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::MainWindow</name>
    <message>
        <source>&amp;Accounts</source>
        <translation>&amp;Contas</translation>
    </message>
    <message>
        <source>&amp;Backfill</source>
        <translation>&amp;Reconstrução</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>&amp;Verificação</translation>
    </message>
    <message>
        <source>&amp;Console</source>
        <translation>&amp;Arquivo</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Conectar…</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Atualizar</translation>
    </message>
    <message>
        <source>&amp;Find account</source>
        <translation>&amp;Buscar conta</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Sair</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>C&amp;onta</translation>
    </message>
    <message>
        <source>&amp;Backfill selected account…</source>
        <translation>&amp;Reconstruir a conta selecionada…</translation>
    </message>
    <message>
        <source>&amp;Verify selected account…</source>
        <translation>&amp;Verificar a conta selecionada…</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>não conectado</translation>
    </message>
    <message>
        <source>Rollup Console</source>
        <translation>Console de Rollups</translation>
    </message>
    <message>
        <source>Read-only connection: backfill writes rollups</source>
        <translation>Conexão somente leitura: a reconstrução grava rollups</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Conectando a %1…</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>somente leitura</translation>
    </message>
    <message>
        <source>read-write</source>
        <translation>leitura e gravação</translation>
    </message>
    <message>
        <source>Rollup Console — %1 [%2, %3]</source>
        <translation>Console de Rollups — %1 [%2, %3]</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <source>The server refused the password for %1.</source>
        <translation>O servidor recusou a senha de %1.</translation>
    </message>
    <message>
        <source>The server asks for a password for %1.</source>
        <translation>O servidor pede uma senha para %1.</translation>
    </message>
    <message>
        <source>Password (kept for this window only, never saved):</source>
        <translation>Senha (guardada só para esta janela, nunca salva):</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Erro: %1</translation>
    </message>
    <message>
        <source>Schema: %1</source>
        <translation>Esquema: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s)</source>
        <translation>
            <numerusform>%n conta</numerusform>
            <numerusform>%n contas</numerusform>
        </translation>
    </message>
    <message>
        <source>demo</source>
        <translation>demonstração</translation>
    </message>
    <message>
        <source>connection dialog</source>
        <translation>janela de conexão</translation>
    </message>
    <message>
        <source>libpq environment</source>
        <translation>ambiente da libpq</translation>
    </message>
    <message>
        <source>profile %1</source>
        <translation>perfil %1</translation>
    </message>
    <message>
        <source>&amp;Many accounts</source>
        <translation>Várias co&amp;ntas</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;Histórico</translation>
    </message>
    <message>
        <source>&amp;History of selected account</source>
        <translation>&amp;Histórico da conta selecionada</translation>
    </message>
    <message>
        <source>Work running</source>
        <translation>Trabalho em execução</translation>
    </message>
    <message>
        <source>A backfill or verify is running. Cancel it and quit? Finished days keep their new rows.</source>
        <translation>Uma reconstrução ou verificação está em execução. Cancelá-la e sair? Os dias concluídos ficam com as linhas novas.</translation>
    </message>
    <message>
        <source>replica: checking…</source>
        <translation>réplica: verificando…</translation>
    </message>
    <message>
        <source>reads: replica %1, %2</source>
        <translation>leituras: réplica %1, %2</translation>
    </message>
    <message>
        <source>replica not used: %1</source>
        <translation>réplica não usada: %1</translation>
    </message>
    <message>
        <source>writes: primary %1 · %2</source>
        <translation>gravações: primário %1 · %2</translation>
    </message>
</context>
<context>
    <name>rollup::Pin</name>
    <message>
        <source>no server session within %1 ms</source>
        <translation>nenhuma sessão do servidor em %1 ms</translation>
    </message>
</context>
<context>
    <name>rollup::RawEventsDialog</name>
    <message>
        <source>Raw events — %1 %2 · %3 · %4</source>
        <translation>Eventos brutos — %1 %2 · %3 · %4</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 %2&lt;/b&gt; (%3) · &lt;b&gt;%4&lt;/b&gt; · local day &lt;b&gt;%5&lt;/b&gt; · status &lt;b&gt;%6&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 %2&lt;/b&gt; (%3) · &lt;b&gt;%4&lt;/b&gt; · dia local &lt;b&gt;%5&lt;/b&gt; · estado &lt;b&gt;%6&lt;/b&gt;</translation>
    </message>
    <message>
        <source>UTC window %1 .. %2 (%3 h)</source>
        <translation>janela UTC %1 .. %2 (%3 h)</translation>
    </message>
    <message>
        <source>Rollup: %1 · Raw: %2</source>
        <translation>Rollup: %1 · Bruto: %2</translation>
    </message>
    <message>
        <source>This metric counts distinct conversations, not events.</source>
        <translation>Esta métrica conta conversas distintas, não eventos.</translation>
    </message>
    <message>
        <source>No raw events feed this key: the backfill never writes %1 rows for %2.</source>
        <translation>Nenhum evento bruto alimenta esta chave: a reconstrução nunca grava linhas %1 para %2.</translation>
    </message>
    <message>
        <source>Loading raw events…</source>
        <translation>Carregando os eventos brutos…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelado.</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Erro: %1</translation>
    </message>
    <message>
        <source>The first %1 events (the list is cut there).</source>
        <translation>Os primeiros %1 eventos (a lista é cortada aí).</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) in the window.</source>
        <translation>
            <numerusform>%n evento na janela.</numerusform>
            <numerusform>%n eventos na janela.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::ReadPathControl</name>
    <message>
        <source>Enable read path…</source>
        <translation>Ativar o caminho de leitura…</translation>
    </message>
    <message>
        <source>&lt;b&gt;report_rollup&lt;/b&gt; (bit %1)</source>
        <translation>&lt;b&gt;report_rollup&lt;/b&gt; (bit %1)</translation>
    </message>
    <message>
        <source>Read path %1: unknown until the account is verified.</source>
        <translation>Caminho de leitura %1: desconhecido até a conta ser verificada.</translation>
    </message>
    <message>
        <source>Read path %1 is &lt;b&gt;on&lt;/b&gt;: Chatwoot&apos;s reports for this account read the rollups.</source>
        <translation>Caminho de leitura %1 &lt;b&gt;ligado&lt;/b&gt;: os relatórios do Chatwoot desta conta leem os rollups.</translation>
    </message>
    <message numerus="yes">
        <source>The rollups differ from the raw events on %n day(s): those reports are wrong.</source>
        <translation>
            <numerusform>Os rollups diferem dos eventos brutos em %n dia: esses relatórios estão errados.</numerusform>
            <numerusform>Os rollups diferem dos eventos brutos em %n dias: esses relatórios estão errados.</numerusform>
        </translation>
    </message>
    <message>
        <source>Read path %1 is &lt;b&gt;off&lt;/b&gt;: reports read the raw events.</source>
        <translation>Caminho de leitura %1 &lt;b&gt;desligado&lt;/b&gt;: os relatórios leem os eventos brutos.</translation>
    </message>
    <message>
        <source>The whole history verified clean: the rollups can be switched on.</source>
        <translation>Todo o histórico foi verificado sem diferenças: os rollups podem ser ligados.</translation>
    </message>
    <message>
        <source>It can be switched on after a clean verify of the whole history (%1).</source>
        <translation>Pode ser ligado depois de uma verificação sem diferenças de todo o histórico (%1).</translation>
    </message>
    <message>
        <source>Sets bit %1 of accounts.feature_flags with one UPDATE; other bits stay</source>
        <translation>Liga o bit %1 de accounts.feature_flags com um UPDATE; os outros bits ficam</translation>
    </message>
    <message>
        <source>The connection is read-only</source>
        <translation>A conexão é somente leitura</translation>
    </message>
    <message>
        <source>Already on</source>
        <translation>Já está ligado</translation>
    </message>
    <message>
        <source>Not enabled: %1.</source>
        <translation>Não ativado: %1.</translation>
    </message>
    <message>
        <source>Switch on report_rollup (bit %1, value %2) for account %3 (%4)?

Chatwoot&apos;s reports for this account will then be read from reporting_events_rollups. The verify of its whole history (%5 .. %6, %7) found no differences.

This runs one UPDATE that sets only this bit; every other feature flag stays as it is.</source>
        <translation>Ligar report_rollup (bit %1, valor %2) para a conta %3 (%4)?

Os relatórios do Chatwoot desta conta passarão a ser lidos de reporting_events_rollups. A verificação de todo o seu histórico (%5 .. %6, %7) não encontrou diferenças.

Isto executa um UPDATE que liga só este bit; todos os outros sinalizadores de recursos ficam como estão.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s)</source>
        <translation>
            <numerusform>%Ln chave</numerusform>
            <numerusform>%Ln chaves</numerusform>
        </translation>
    </message>
    <message>
        <source>Enable the rollup read path</source>
        <translation>Ativar o caminho de leitura dos rollups</translation>
    </message>
    <message>
        <source>report_rollup enabled for account %1 (feature_flags %2 → %3).</source>
        <translation>report_rollup ativado para a conta %1 (feature_flags %2 → %3).</translation>
    </message>
    <message>
        <source>Not enabled: %1</source>
        <translation>Não ativado: %1</translation>
    </message>
</context>
<context>
    <name>rollup::SessionProbe</name>
    <message>
        <source>%1 pools transactions, not sessions (%2): the console needs one server session per connection for its advisory lock, prepared statements and session settings; connect through a pool with pool_mode = session (PgBouncer) or directly to PostgreSQL</source>
        <translation>%1 faz pool de transações, não de sessões (%2): o console precisa de uma sessão do servidor por conexão para o seu bloqueio consultivo (advisory lock), os comandos preparados e as configurações de sessão; conecte-se por um pool com pool_mode = session (PgBouncer) ou diretamente ao PostgreSQL</translation>
    </message>
    <message>
        <source>checking the server session</source>
        <translation>verificando a sessão do servidor</translation>
    </message>
    <message>
        <source>its transactions ran in different server sessions, pid %1 then %2</source>
        <translation>as suas transações rodaram em sessões diferentes do servidor, pid %1 e depois %2</translation>
    </message>
    <message>
        <source>a session setting of its first transaction was gone in a later one</source>
        <translation>uma configuração de sessão da sua primeira transação tinha sumido numa transação seguinte</translation>
    </message>
    <message>
        <source>the pool refused a transaction block: %1</source>
        <translation>o pool recusou um bloco de transação: %1</translation>
    </message>
    <message>
        <source>another connection was given this connection&apos;s server session, pid %1, between two of its transactions</source>
        <translation>outra conexão recebeu a sessão do servidor desta conexão, pid %1, entre duas das suas transações</translation>
    </message>
</context>
<context>
    <name>rollup::TimezoneDialog</name>
    <message>
        <source>Reporting time zone — account %1</source>
        <translation>Fuso horário dos relatórios — conta %1</translation>
    </message>
    <message>
        <source>(settings NULL)</source>
        <translation>(settings é NULL)</translation>
    </message>
    <message>
        <source>(absent)</source>
        <translation>(ausente)</translation>
    </message>
    <message>
        <source>Account %1 — %2
Stored reporting_timezone: %3 (%4)</source>
        <translation>Conta %1 — %2
reporting_timezone gravado: %3 (%4)</translation>
    </message>
    <message>
        <source>Local day</source>
        <translation>Dia local</translation>
    </message>
    <message>
        <source>UTC start</source>
        <translation>Início UTC</translation>
    </message>
    <message>
        <source>UTC end</source>
        <translation>Fim UTC</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Horas</translation>
    </message>
    <message>
        <source>Read-only connection: saving is disabled (the server would refuse the write).</source>
        <translation>Conexão somente leitura: salvar está desativado (o servidor recusaria a gravação).</translation>
    </message>
    <message>
        <source>zones at UTC%1 now or in standard time</source>
        <translation>fusos em UTC%1 agora ou no horário padrão</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b02020&apos;&gt;not a UTC offset (try +5:30, -3, +05:45)&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#b02020&apos;&gt;não é um deslocamento UTC (tente -3, +5:30, +05:45)&lt;/span&gt;</translation>
    </message>
    <message>
        <source>%1 of %2 zones shown</source>
        <translation>%1 de %2 fusos mostrados</translation>
    </message>
    <message>
        <source>No zone selected</source>
        <translation>Nenhum fuso selecionado</translation>
    </message>
    <message>
        <source>%1 — %2, UTC%3 now</source>
        <translation>%1 — %2, UTC%3 agora</translation>
    </message>
    <message>
        <source> (daylight saving time; standard UTC%1)</source>
        <translation> (horário de verão; padrão UTC%1)</translation>
    </message>
    <message>
        <source> (standard time)</source>
        <translation> (horário padrão)</translation>
    </message>
    <message>
        <source>; next change %1</source>
        <translation>; próxima mudança %1</translation>
    </message>
    <message>
        <source>
Rails names: %1</source>
        <translation>
Nomes do Rails: %1</translation>
    </message>
    <message>
        <source>%1 (today)</source>
        <translation>%1 (hoje)</translation>
    </message>
    <message>
        <source>Clock change: this local day is %1 hours long</source>
        <translation>Mudança de horário: este dia local tem %1 horas</translation>
    </message>
    <message>
        <source>now</source>
        <translation>agora</translation>
    </message>
    <message>
        <source>in %1 h %2 min</source>
        <translation>em %1 h %2 min</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 = %2 = %3 on this computer (next local midnight + 30 min, %4)</source>
        <translation>%1 = %2 = %3 neste computador (próxima meia-noite local + 30 min, %4)</translation>
    </message>
    <message>
        <source>Checking existing rollups of account %1…</source>
        <translation>Conferindo os rollups existentes da conta %1…</translation>
    </message>
    <message>
        <source>Could not read the existing rollups: %1</source>
        <translation>Não foi possível ler os rollups existentes: %1</translation>
    </message>
    <message>
        <source>Account %1 already has %2 rollup rows over %3 days (%4), bucketed in %5.</source>
        <translation>A conta %1 já tem %2 linhas de rollup em %3 dias (%4), agrupadas em %5.</translation>
    </message>
    <message>
        <source>Saving %1 does not move them: those days keep the old zone&apos;s day boundaries until they are backfilled again.</source>
        <translation>Salvar %1 não as move: esses dias mantêm os limites de dia do fuso antigo até serem reconstruídos.</translation>
    </message>
    <message>
        <source>Keeping this zone keeps them valid. Clearing the zone stops the live rollups; the existing rows stay.</source>
        <translation>Manter este fuso as mantém válidas. Remover o fuso para os rollups ao vivo; as linhas existentes ficam.</translation>
    </message>
    <message>
        <source>Read-only connection</source>
        <translation>Conexão somente leitura</translation>
    </message>
    <message>
        <source>%1 is already stored</source>
        <translation>%1 já está gravado</translation>
    </message>
    <message>
        <source>Select a zone first</source>
        <translation>Selecione um fuso primeiro</translation>
    </message>
    <message>
        <source>Write %1 to settings.reporting_timezone</source>
        <translation>Gravar %1 em settings.reporting_timezone</translation>
    </message>
    <message>
        <source>Clearing reporting_timezone…</source>
        <translation>Removendo o reporting_timezone…</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>Salvando %1…</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b02020&apos;&gt;Not saved: %1&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#b02020&apos;&gt;Não salvo: %1&lt;/span&gt;</translation>
    </message>
</context>
<context>
    <name>rollup::VerifyChart</name>
    <message>
        <source>Rollup (stored)</source>
        <translation>Rollup (gravado)</translation>
    </message>
    <message>
        <source>Raw (what a backfill writes)</source>
        <translation>Bruto (o que uma reconstrução grava)</translation>
    </message>
    <message>
        <source>Differing days</source>
        <translation>Dias com diferenças</translation>
    </message>
    <message>
        <source>Metric:</source>
        <translation>Métrica:</translation>
    </message>
    <message>
        <source>Dimension:</source>
        <translation>Dimensão:</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>Valor:</translation>
    </message>
    <message>
        <source>Average (min)</source>
        <translation>Média (min)</translation>
    </message>
    <message>
        <source>Average, business hours (min)</source>
        <translation>Média, horário comercial (min)</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Contagem</translation>
    </message>
    <message>
        <source>Sum (min)</source>
        <translation>Soma (min)</translation>
    </message>
    <message>
        <source>Sum, business hours (min)</source>
        <translation>Soma, horário comercial (min)</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minutos</translation>
    </message>
    <message>
        <source>count</source>
        <translation>contagem</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %2 · %n differing day(s)</source>
        <translation>
            <numerusform>%1 · %2 · %n dia com diferenças</numerusform>
            <numerusform>%1 · %2 · %n dias com diferenças</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rollup::VerifyChartModel</name>
    <message>
        <source>Day (ms)</source>
        <translation>Dia (ms)</translation>
    </message>
    <message>
        <source>Rollup</source>
        <translation>Rollup</translation>
    </message>
    <message>
        <source>Raw</source>
        <translation>Bruto</translation>
    </message>
    <message>
        <source>Differs</source>
        <translation>Difere</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Dia</translation>
    </message>
</context>
<context>
    <name>rollup::VerifyEventsModel</name>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>Value (s)</source>
        <translation>Valor (s)</translation>
    </message>
    <message>
        <source>Business hours (s)</source>
        <translation>Horário comercial (s)</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuário</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Caixa de entrada</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversa</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Criado (UTC)</translation>
    </message>
    <message>
        <source>Created (local)</source>
        <translation>Criado (local)</translation>
    </message>
</context>
<context>
    <name>rollup::VerifyHeatmapPane</name>
    <message>
        <source>Worst status per day (click a day to filter the table)</source>
        <translation>Pior estado por dia (clique num dia para filtrar a tabela)</translation>
    </message>
    <message>
        <source>no keys</source>
        <translation>sem chaves</translation>
    </message>
    <message>
        <source>Show all days</source>
        <translation>Mostrar todos os dias</translation>
    </message>
    <message>
        <source>%1: no keys</source>
        <translation>%1: sem chaves</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n key(s)</source>
        <translation>
            <numerusform>%1: %n chave</numerusform>
            <numerusform>%1: %n chaves</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n match</source>
        <translation>
            <numerusform>%n igual</numerusform>
            <numerusform>%n iguais</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mismatch</source>
        <translation>
            <numerusform>%n diferente</numerusform>
            <numerusform>%n diferentes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n missing</source>
        <translation>
            <numerusform>%n ausente</numerusform>
            <numerusform>%n ausentes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n extra</source>
        <translation>
            <numerusform>%n excedente</numerusform>
            <numerusform>%n excedentes</numerusform>
        </translation>
    </message>
    <message>
        <source>Table shows %1 only</source>
        <translation>A tabela mostra só %1</translation>
    </message>
    <message>
        <source>Table shows every day</source>
        <translation>A tabela mostra todos os dias</translation>
    </message>
</context>
<context>
    <name>rollup::VerifyModel</name>
    <message>
        <source>No users row with id %1 (deleted agent)</source>
        <translation>Nenhuma linha em users com id %1 (agente excluído)</translation>
    </message>
    <message>
        <source>No inboxes row with id %1 (deleted inbox)</source>
        <translation>Nenhuma linha em inboxes com id %1 (caixa de entrada excluída)</translation>
    </message>
    <message>
        <source>%1 s (%2)</source>
        <translation>%1 s (%2)</translation>
    </message>
    <message>
        <source>Rollup minus raw (a missing side counts as 0)</source>
        <translation>Rollup menos bruto (um lado ausente conta como 0)</translation>
    </message>
    <message>
        <source>Sum / count, for duration metrics (what Chatwoot&apos;s reports show)</source>
        <translation>Soma / contagem, para métricas de duração (o que os relatórios do Chatwoot mostram)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation>Dimensão</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Métrica</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Rollup count</source>
        <translation>Contagem rollup</translation>
    </message>
    <message>
        <source>Raw count</source>
        <translation>Contagem bruta</translation>
    </message>
    <message>
        <source>Δ count</source>
        <translation>Δ contagem</translation>
    </message>
    <message>
        <source>Rollup sum</source>
        <translation>Soma rollup</translation>
    </message>
    <message>
        <source>Raw sum</source>
        <translation>Soma bruta</translation>
    </message>
    <message>
        <source>Δ sum</source>
        <translation>Δ soma</translation>
    </message>
    <message>
        <source>Rollup avg</source>
        <translation>Média rollup</translation>
    </message>
    <message>
        <source>Raw avg</source>
        <translation>Média bruta</translation>
    </message>
    <message>
        <source>Δ avg</source>
        <translation>Δ média</translation>
    </message>
    <message>
        <source>Rollup sum (BH)</source>
        <translation>Soma rollup (HC)</translation>
    </message>
    <message>
        <source>Raw sum (BH)</source>
        <translation>Soma bruta (HC)</translation>
    </message>
    <message>
        <source>Δ sum (BH)</source>
        <translation>Δ soma (HC)</translation>
    </message>
    <message>
        <source>Rollup avg (BH)</source>
        <translation>Média rollup (HC)</translation>
    </message>
    <message>
        <source>Raw avg (BH)</source>
        <translation>Média bruta (HC)</translation>
    </message>
</context>
<context>
    <name>rollup::VerifyRunControl</name>
    <message>
        <source>Chosen range:</source>
        <translation>Intervalo escolhido:</translation>
    </message>
    <message>
        <source>Off: the account&apos;s whole history (first event&apos;s day .. yesterday), like the backfill</source>
        <translation>Desligado: todo o histórico da conta (dia do primeiro evento .. ontem), como na reconstrução</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>&amp;Verificar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>to</source>
        <translation>a</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
</context>
<context>
    <name>rollup::VerifySummary</name>
    <message>
        <source>&lt;b&gt;Account %1&lt;/b&gt;</source>
        <translation>&lt;b&gt;Conta %1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Verify&lt;/b&gt;</source>
        <translation>&lt;b&gt;Verificação&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Account %1 — %2&lt;/b&gt; · %3</source>
        <translation>&lt;b&gt;Conta %1 — %2&lt;/b&gt; · %3</translation>
    </message>
    <message>
        <source>Nothing to verify: %1</source>
        <translation>Nada a verificar: %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln %1</source>
        <comment>a count and a status name: 3 mismatch</comment>
        <translation>
            <numerusform>%1: %Ln</numerusform>
            <numerusform>%1: %Ln</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 .. %2 (%n day(s), %3)</source>
        <translation>
            <numerusform>%1 .. %2 (%n dia, %3)</numerusform>
            <numerusform>%1 .. %2 (%n dias, %3)</numerusform>
        </translation>
    </message>
    <message>
        <source>whole history</source>
        <translation>todo o histórico</translation>
    </message>
    <message>
        <source>chosen range</source>
        <translation>intervalo escolhido</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%Ln&lt;/b&gt; keys compared</source>
        <translation>
            <numerusform>&lt;b&gt;%Ln&lt;/b&gt; chave comparada</numerusform>
            <numerusform>&lt;b&gt;%Ln&lt;/b&gt; chaves comparadas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln day(s) with differences</source>
        <translation>
            <numerusform>%Ln dia com diferenças</numerusform>
            <numerusform>%Ln dias com diferenças</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · %2 · match rate &lt;b&gt;%3 %&lt;/b&gt; · %4 · %5 · %6 · %7 · %8 · %9 s</source>
        <translation>%1 · %2 · taxa de acerto &lt;b&gt;%3 %&lt;/b&gt; · %4 · %5 · %6 · %7 · %8 · %9 s</translation>
    </message>
    <message numerus="yes">
        <source>%n stored row(s) outside the range, dated %1 .. %2, were not compared.</source>
        <translation>
            <numerusform>%n linha gravada fora do intervalo, com data %1 .. %2, não foi comparada.</numerusform>
            <numerusform>%n linhas gravadas fora do intervalo, com datas %1 .. %2, não foram comparadas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Re-backfill those %n day(s)</source>
        <translation>
            <numerusform>Reconstruir esse %n dia</numerusform>
            <numerusform>Reconstruir esses %n dias</numerusform>
        </translation>
    </message>
    <message>
        <source>Read from the replica %1, %2.</source>
        <translation>Lido da réplica %1, %2.</translation>
    </message>
</context>
<context>
    <name>rollup::VerifyTablePane</name>
    <message>
        <source>All statuses</source>
        <translation>Todos os estados</translation>
    </message>
    <message>
        <source>Only &amp;differences</source>
        <translation>Só as &amp;diferenças</translation>
    </message>
    <message>
        <source>Filter:</source>
        <translation>Filtro:</translation>
    </message>
    <message>
        <source>Re-backfill &amp;selected days</source>
        <translation>Reconstruir os dias &amp;selecionados</translation>
    </message>
    <message>
        <source>Re-backfill &amp;all differing days</source>
        <translation>Reconstruir &amp;todos os dias com diferenças</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportar…</translation>
    </message>
    <message>
        <source>Save the filtered table as CSV or JSON (the CLI&apos;s columns)</source>
        <translation>Salva a tabela filtrada como CSV ou JSON (as colunas da linha de comando)</translation>
    </message>
    <message>
        <source>All dimensions</source>
        <translation>Todas as dimensões</translation>
    </message>
    <message>
        <source>All metrics</source>
        <translation>Todas as métricas</translation>
    </message>
    <message numerus="yes">
        <source>Re-backfill &amp;all %n differing day(s)</source>
        <translation>
            <numerusform>Reconstruir &amp;todos os dias com diferenças (%n)</numerusform>
            <numerusform>Reconstruir &amp;todos os dias com diferenças (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln key(s) shown</source>
        <translation>
            <numerusform>%1 de %Ln chave mostrada</numerusform>
            <numerusform>%1 de %Ln chaves mostradas</numerusform>
        </translation>
    </message>
    <message>
        <source>Export verify table</source>
        <translation>Exportar a tabela de verificação</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message numerus="yes">
        <source>Exporting %n row(s)…</source>
        <translation>
            <numerusform>Exportando %n linha…</numerusform>
            <numerusform>Exportando %n linhas…</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>Exportado para %1.</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>A exportação falhou: %1</translation>
    </message>
</context>
<context>
    <name>rollup::VerifyView</name>
    <message>
        <source>Select an account on the Accounts tab and press Ctrl+Y to verify its rollups.</source>
        <translation>Selecione uma conta na aba Contas e pressione Ctrl+Y para verificar os seus rollups.</translation>
    </message>
    <message>
        <source>Rollup vs raw per day</source>
        <translation>Rollup × bruto por dia</translation>
    </message>
    <message>
        <source>Verifying account %1…</source>
        <translation>Verificando a conta %1…</translation>
    </message>
    <message>
        <source>Verify cancelled; the table shows the previous result.</source>
        <translation>Verificação cancelada; a tabela mostra o resultado anterior.</translation>
    </message>
    <message>
        <source>Verify failed: %1</source>
        <translation>A verificação falhou: %1</translation>
    </message>
</context>
<context>
    <name>rollup::ZoneCatalogueModel</name>
    <message>
        <source>DST</source>
        <translation>HV</translation>
    </message>
    <message>
        <source>Daylight saving time is in effect</source>
        <translation>O horário de verão está em vigor</translation>
    </message>
    <message>
        <source>Standard time</source>
        <translation>Horário padrão</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>Fuso</translation>
    </message>
    <message>
        <source>Offset now</source>
        <translation>Deslocamento agora</translation>
    </message>
    <message>
        <source>Abbr.</source>
        <translation>Abrev.</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>Padrão</translation>
    </message>
    <message>
        <source>Rails names</source>
        <translation>Nomes do Rails</translation>
    </message>
</context>
</TS>
