#pragma once

#include "cli/clicontext.h"
#include "jobs/fleet.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace rollup {

// `verify --all` and `backfill --all`: the fleet options of both commands and their run.
class FleetCommand
{
    Q_DECLARE_TR_FUNCTIONS(FleetCommand)

public:
    static void addOptions(QCommandLineParser &parser, FleetMode mode);
    // --all or --accounts was given.
    static bool wanted(const QCommandLineParser &parser);
    static int run(CliContext &ctx, const QCommandLineParser &parser, FleetMode mode);
};

} // namespace rollup
