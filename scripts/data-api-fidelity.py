"""The local Data API checked with a client this project did not write: boto3 (Debian's
python3-boto3), against an endpoint started by test/integration/data-api/independent-client.test.ts.

Each check is one rule of docs/fidelity.md, asserted on what boto3 parses from the wire: the
error code (x-amzn-ErrorType), the records and their exact values. Prints one JSON line per check
and exits non-zero when any fails.

Environment: DATA_API_ENDPOINT, RESOURCE_ARN, SECRET_ARN, DATABASE, TIMEOUT_MS (the endpoint's
call limit, short in the test).
"""
import base64
import json
import os
import sys
import time

import boto3
from botocore.exceptions import ClientError

client = boto3.client(
    'rds-data',
    endpoint_url=os.environ['DATA_API_ENDPOINT'],
    region_name='us-east-1',
    aws_access_key_id='local',
    aws_secret_access_key='local',
)
TARGET = {'resourceArn': os.environ['RESOURCE_ARN'], 'secretArn': os.environ['SECRET_ARN'], 'database': os.environ['DATABASE']}
TIMEOUT_S = int(os.environ['TIMEOUT_MS']) / 1000
results = []


def execute(sql, **extra):
    return client.execute_statement(**TARGET, sql=sql, **extra)


def error_code(call):
    try:
        call()
    except ClientError as error:
        return error.response['Error']['Code'], error.response['Error'].get('Message', '')
    return None, ''


def check(name, ok, detail=''):
    results.append({'check': name, 'ok': bool(ok), 'detail': detail})


code, _ = error_code(lambda: execute("SELECT repeat('x', 65 * 1024) AS big"))
check('row over 64 KB -> UnsupportedResultException', code == 'UnsupportedResultException', code)

code, message = error_code(lambda: execute("SELECT repeat('x', 60 * 1024) FROM generate_series(1, 20)", formatRecordsAs='JSON'))
check('response over 1 MiB -> BadRequestException', code == 'BadRequestException' and 'size limit' in message, code)

code, _ = error_code(lambda: execute(f'SELECT pg_sleep({TIMEOUT_S * 2}) IS NULL AS slept'))
check('call past the time limit -> StatementTimeoutException', code == 'StatementTimeoutException', code)
# Embedded PostgreSQL cannot interrupt the statement (it is rolled back when it ends): let it end.
time.sleep(TIMEOUT_S * 1.5)

for sql in ["SELECT pg_sleep(0) AS v", "SELECT 'int4'::regtype AS v", "SELECT 'a'::\"char\" AS v", "SELECT 1::money AS v"]:
    code, _ = error_code(lambda: execute(sql))
    check(f'{sql} -> UnsupportedResultException', code == 'UnsupportedResultException', code)

tx = client.begin_transaction(**TARGET)['transactionId']
code, _ = error_code(lambda: execute('SELECT 1/0', transactionId=tx))
check('error in a transaction -> DatabaseErrorException', code == 'DatabaseErrorException', code)
code, _ = error_code(lambda: execute('SELECT 1', transactionId=tx))
check('the next call on the aborted transaction -> TransactionNotFoundException', code == 'TransactionNotFoundException', code)
code, _ = error_code(lambda: client.commit_transaction(resourceArn=TARGET['resourceArn'], secretArn=TARGET['secretArn'], transactionId=tx))
check('commit of the aborted transaction -> TransactionNotFoundException', code == 'TransactionNotFoundException', code)

big = execute('SELECT 9223372036854775807::bigint AS big')['records'][0][0]
check('longValue keeps 64-bit precision', big.get('longValue') == 9223372036854775807, str(big))

blob = execute("SELECT '\\x00ff10'::bytea AS b")['records'][0][0]
check('blobValue is base64 on the wire', blob.get('blobValue') == bytes([0, 255, 16]), str(blob))

options = execute('SELECT 9223372036854775807::bigint AS big, 12.50::numeric AS n', resultSetOptions={'longReturnType': 'STRING', 'decimalReturnType': 'DOUBLE_OR_LONG'})['records'][0]
check('resultSetOptions honoured', options == [{'stringValue': '9223372036854775807'}, {'doubleValue': 12.5}], str(options))

check('no columnMetadata unless asked', 'columnMetadata' not in execute('SELECT 1 AS one'))
check('columnMetadata when asked', execute('SELECT 1 AS one', includeResultMetadata=True)['columnMetadata'][0]['name'] == 'one')
json_response = execute('SELECT 1 AS one', includeResultMetadata=True, formatRecordsAs='JSON')
check('no columnMetadata with JSON records', 'columnMetadata' not in json_response and json.loads(json_response['formattedRecords']) == [{'one': 1}])

code, _ = error_code(lambda: execute('SELECT 1', schema='public'))
check('the schema parameter -> BadRequestException', code == 'BadRequestException', code)
code, _ = error_code(lambda: client.execute_statement(**{**TARGET, 'secretArn': TARGET['secretArn'] + '-unknown'}, sql='SELECT 1'))
check('an unknown secret -> SecretsErrorException', code == 'SecretsErrorException', code)

for result in results:
    print(json.dumps(result))
sys.exit(0 if all(result['ok'] for result in results) else 1)
