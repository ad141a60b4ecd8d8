"""python -m surveykit"""
import sys

from .cli import main

if __name__ == "__main__":  # not when a worker process (the report's figure writer) imports this module
    sys.exit(main())
