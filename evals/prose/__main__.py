import sys

from evals.prose.score import main

sys.exit(main())
