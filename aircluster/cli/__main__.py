import sys

from aircluster.cli.main import main

sys.exit(main())
